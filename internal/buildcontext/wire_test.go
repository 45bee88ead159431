package buildcontext

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tonistiigi/fsutil"
	"github.com/tonistiigi/fsutil/types"
)

// writeTree makes files (path → content) under a new directory; a
// content starting with "->" makes a symbolic link, "=>" a hard link to
// another file of the tree.
func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case strings.HasPrefix(content, "->"):
			err = os.Symlink(strings.TrimPrefix(content, "->"), full)
		case strings.HasPrefix(content, "=>"):
			continue
		case strings.HasSuffix(p, "/"):
			err = os.MkdirAll(full, 0o755)
		default:
			err = os.WriteFile(full, []byte(content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for p, content := range files {
		if strings.HasPrefix(content, "=>") {
			if err := os.Link(filepath.Join(dir, strings.TrimPrefix(content, "=>")), filepath.Join(dir, filepath.FromSlash(p))); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// referenceTransfer computes what BuildKit's client sends with fsutil's
// own file system (fsutil.NewFS, the root-owner map strata's build adds,
// the request's filter, the sender's hard-link reset), the way its
// sender and receiver count packets.
func referenceTransfer(t *testing.T, dir string, excludes, follow []string) (int64, []string) {
	t.Helper()
	base, err := fsutil.NewFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	owned, err := fsutil.NewFilterFS(base, &fsutil.FilterOpt{Map: func(_ string, st *types.Stat) fsutil.MapResult {
		st.Uid, st.Gid = 0, 0
		return fsutil.MapResultKeep
	}})
	if err != nil {
		t.Fatal(err)
	}
	filtered, err := fsutil.NewFilterFS(owned, &fsutil.FilterOpt{ExcludePatterns: excludes, FollowPaths: follow})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	var id uint32
	var paths []string
	err = fsutil.WithHardlinkReset(filtered).Walk(context.Background(), "/", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		st := fi.Sys().(*types.Stat)
		paths = append(paths, st.Path)
		total += int64((&types.Packet{Type: types.PACKET_STAT, Stat: st}).SizeVT())
		if fs.FileMode(st.Mode)&fs.ModeType == 0 && st.Linkname == "" {
			f, err := os.Open(filepath.Join(dir, p))
			if err != nil {
				return err
			}
			defer f.Close()
			buf := make([]byte, chunkSize)
			for {
				n, err := io.ReadFull(f, buf)
				if n > 0 {
					total += int64((&types.Packet{Type: types.PACKET_DATA, ID: id, Data: buf[:n]}).SizeVT())
				}
				if err != nil {
					break
				}
			}
			total += int64((&types.Packet{Type: types.PACKET_DATA, ID: id}).SizeVT())
		}
		id++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	total += int64((&types.Packet{Type: types.PACKET_FIN}).SizeVT())
	return total, paths
}

// TestTransferMatchesFsutil: strata's parallel walk sends exactly what
// BuildKit's client library sends, byte for byte, for trees with links,
// hard links, empty and multi-chunk files, nested ignore exceptions and
// follow paths.
func TestTransferMatchesFsutil(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", 5000) // 80,000 bytes: three chunks
	files := map[string]string{
		"Dockerfile":              "FROM busybox\n",
		".dockerignore":           "x",
		"app/main.py":             "print(1)\n",
		"app/big.bin":             big,
		"app/empty":               "",
		"app/link":                "->main.py",
		"app/abs":                 "->/etc/passwd",
		"app/hard":                "=>app/main.py",
		"node_modules/a/index.js": "x",
		"node_modules/keep.js":    "keep",
		"docs/a.md":               "a",
		"docs/deep/b.md":          "b",
		"logs/x.log":              "log",
		"data/":                   "",
		"lnk-to-app":              "->app",
	}
	for i := range 300 {
		files[filepath.Join("many", string(rune('a'+i%26)), strings.Repeat("f", 1+i%7)+string(rune('a'+i/26)))] = strings.Repeat("z", i)
	}
	dir := writeTree(t, files)
	cases := []struct {
		name             string
		excludes, follow []string
	}{
		{"everything", nil, nil},
		{"excludes", []string{"node_modules", "*.log", "logs", "Dockerfile"}, nil},
		{"exceptions", []string{"node_modules", "!node_modules/keep.js", "docs", "!docs/deep"}, nil},
		{"wildcard exception", []string{"many", "!many/*/f*a"}, nil},
		{"follow paths", []string{"app/big.bin"}, []string{"app", "docs/a.md"}},
		{"follow a link", nil, []string{"lnk-to-app"}},
		{"follow a pattern", nil, []string{"many/b/*"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, wantPaths := referenceTransfer(t, dir, c.excludes, c.follow)
			var got []string
			n, err := transfer(context.Background(), newDiskFS(dir), c.excludes, c.follow, func(e *sent) error {
				got = append(got, e.Path)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Errorf("transfer = %d bytes, fsutil's = %d", n, want)
			}
			if strings.Join(got, "\n") != strings.Join(wantPaths, "\n") {
				t.Errorf("entries differ:\n got %q\nwant %q", got, wantPaths)
			}
			if len(got) == 0 {
				t.Error("nothing sent")
			}
		})
	}
}
