package estimatetest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Generate returns every fixture file by its path under
// internal/estimate/testdata: mirror/HOST/... and images/NAME.tar.
func Generate() (map[string][]byte, error) {
	mirror := map[string][]byte{}
	debArchive(mirror)
	apkRepo(mirror)
	npmRegistry(mirror)
	pypiIndex(mirror)
	downloads(mirror)
	out := map[string][]byte{}
	for p, b := range mirror {
		out["mirror/"+p] = b
	}
	for _, im := range Images() {
		b, err := imageTar(im)
		if err != nil {
			return nil, fmt.Errorf("image %s: %w", im.Name, err)
		}
		out["images/"+im.Name+".tar"] = b
	}
	return out, nil
}

// Sync compares the fixtures on disk under dir with Generate's and,
// when write is set, rewrites them (and removes stale files). It returns
// the paths that differ.
func Sync(dir string, write bool) ([]string, error) {
	want, err := Generate()
	if err != nil {
		return nil, err
	}
	var diff []string
	have := map[string]bool{}
	for _, sub := range []string{"mirror", "images"} {
		root := filepath.Join(dir, sub)
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(dir, p)
				have[filepath.ToSlash(rel)] = true
			}
			return nil
		})
	}
	for p, b := range want {
		cur, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil || !bytes.Equal(cur, b) {
			diff = append(diff, p)
			if write {
				full := filepath.Join(dir, filepath.FromSlash(p))
				if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
					return nil, err
				}
				if err := os.WriteFile(full, b, 0o644); err != nil {
					return nil, err
				}
			}
		}
	}
	for p := range have {
		if _, ok := want[p]; !ok {
			diff = append(diff, p+" (stale)")
			if write {
				if err := os.Remove(filepath.Join(dir, filepath.FromSlash(p))); err != nil {
					return nil, err
				}
			}
		}
	}
	sort.Strings(diff)
	return diff, nil
}

// Dir finds internal/estimate/testdata from the working directory (a
// package directory below the module's root).
func Dir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "internal", "estimate", "testdata"), nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s", wd)
		}
	}
}

func trimHost(p string) (host, rest string) {
	host, rest, _ = strings.Cut(p, "/")
	return host, rest
}
