package build

import (
	"archive/tar"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/dockerignore"
)

// contextFilter says which files of a build context the builder receives:
// all but those the ignore file that applies excludes, with the patterns
// applied as BuildKit applies them (see package dockerignore).
type contextFilter struct {
	dir string
	m   *dockerignore.Matcher
}

func newContextFilter(dir, dockerfile string) (*contextFilter, error) {
	m, err := dockerignore.Load(dir, dockerfile)
	if err != nil {
		return nil, err
	}
	return &contextFilter{dir: dir, m: m}, nil
}

// classic switches the filter to what the classic builder's client
// sends: the Dockerfile and .dockerignore are kept whatever the patterns
// say.
func (f *contextFilter) classic(dockerfile string) {
	f.m = f.m.Classic(dockerignore.InContext(f.dir, dockerfile))
}

// excluded reports whether the context-relative path rel (slash-separated)
// stays out of the context; see dockerignore.Matcher.Excluded.
func (f *contextFilter) excluded(rel string, isDir bool) (excluded, skipDir bool) {
	return f.m.Excluded(rel, isDir)
}

// walk calls fn for every file and directory of the context the builder
// receives, parents before children, with its slash-separated relative
// path.
func (f *contextFilter) walk(fn func(path, rel string, d fs.DirEntry) error) error {
	return filepath.WalkDir(f.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(f.dir, path)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if ex, skip := f.excluded(rel, d.IsDir()); ex {
			if skip {
				return filepath.SkipDir
			}
			return nil
		}
		return fn(path, rel, d)
	})
}

// CopyContext copies the files of the build context dir that a build of
// dockerfile would send (its .dockerignore applied) to dst, which must
// not exist or be empty, together with the build's own inputs that lie in
// the context (the Dockerfile and the ignore file), so that a build of
// the copy sends the same files. Modes and symbolic links are kept.
func CopyContext(dir, dockerfile, dst string) error {
	f, err := newContextFilter(dir, dockerfile)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return fmt.Errorf("copying the build context: %w", err)
	}
	copied := map[string]bool{}
	err = f.walk(func(path, rel string, d fs.DirEntry) error {
		copied[rel] = true
		return copyEntry(path, filepath.Join(dst, filepath.FromSlash(rel)))
	})
	for _, own := range []string{dockerfile, f.m.Path} {
		rel := dockerignore.InContext(dir, own)
		if err != nil || rel == "" || copied[rel] {
			continue
		}
		err = copyEntry(own, filepath.Join(dst, filepath.FromSlash(rel)))
	}
	if err != nil {
		return fmt.Errorf("copying the build context %s to %s: %w", dir, dst, err)
	}
	return nil
}

// copyEntry copies the file, directory or symbolic link at path to
// target, creating target's parents.
func copyEntry(path, target string) error {
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	switch {
	case info.IsDir():
		return os.MkdirAll(target, info.Mode().Perm()|0o700)
	case info.Mode()&fs.ModeSymlink != 0:
		link, err := os.Readlink(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.Symlink(link, target)
	case info.Mode().IsRegular():
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return copyFile(path, target, info.Mode().Perm())
	}
	return nil // sockets, devices and pipes are not sent either
}

func copyFile(src, dst string, perm fs.FileMode) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(out, in)
	return err
}

// writeContextTar writes the build context as the tar stream the classic
// builder reads, owned by root. A Dockerfile outside the context goes in
// as dfName.
func writeContextTar(w io.Writer, dir, dockerfile, dfName string) error {
	f, err := newContextFilter(dir, dockerfile)
	if err != nil {
		return err
	}
	f.classic(dockerfile)
	tw := tar.NewWriter(w)
	err = f.walk(func(path, rel string, d fs.DirEntry) error {
		return WriteTarEntry(tw, path, rel)
	})
	if err == nil && dockerignore.InContext(dir, dockerfile) == "" {
		err = WriteTarEntry(tw, dockerfile, dfName)
	}
	if err == nil {
		err = tw.Close()
	}
	if err != nil {
		return fmt.Errorf("archiving the build context %s: %w", dir, err)
	}
	return nil
}

// WriteTarEntry adds the file, directory or symlink at path to tw as name
// (slash-separated), owned by root, as a build context holds it.
func WriteTarEntry(tw *tar.Writer, path, name string) error {
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if !info.IsDir() && !info.Mode().IsRegular() && info.Mode()&fs.ModeSymlink == 0 {
		return nil
	}
	link := ""
	if info.Mode()&fs.ModeSymlink != 0 {
		if link, err = os.Readlink(path); err != nil {
			return err
		}
	}
	hdr, err := tar.FileInfoHeader(info, link)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	hdr.Name = name
	if info.IsDir() && !strings.HasSuffix(name, "/") {
		hdr.Name += "/"
	}
	hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if !info.Mode().IsRegular() {
		return nil
	}
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	if _, err := io.Copy(tw, in); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// ContextFiles lists the regular files of the build context dir that a
// build of dockerfile sends (its .dockerignore applied), as sorted
// slash-separated relative paths.
func ContextFiles(dir, dockerfile string) ([]string, error) {
	f, err := newContextFilter(dir, dockerfile)
	if err != nil {
		return nil, err
	}
	var files []string
	err = f.walk(func(_, rel string, d fs.DirEntry) error {
		if d.Type().IsRegular() {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing the build context %s: %w", dir, err)
	}
	sort.Strings(files)
	return files, nil
}
