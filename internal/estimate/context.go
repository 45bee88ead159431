package estimate

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/buildcontext"
	"github.com/stratatools/strata/internal/buildplan"
	"github.com/stratatools/strata/internal/dockerignore"
)

// maxContextEntries bounds the files of a context the estimate lists.
const maxContextEntries = 2_000_000

// ctxFile is one file of the build context that passes .dockerignore.
type ctxFile struct {
	rel  string // slash-separated, relative to the context
	size int64
}

// contextIndex is the files a build can send, sorted by path.
type contextIndex struct {
	dir   string
	files []ctxFile
	// ignore names the ignore file in use ("" for none).
	ignore string
}

// loadContext lists the files of dir that pass the ignore file: ignore
// when given (the content of a .dockerignore a fix creates), else the one
// that applies to dockerfile.
func loadContext(ctx context.Context, dir, dockerfile string, ignore []byte) (*contextIndex, error) {
	var m *dockerignore.Matcher
	var err error
	if ignore != nil {
		m, err = dockerignore.Parse(filepath.Join(dir, dockerignore.FileName), ignore)
	} else {
		m, err = dockerignore.Load(dir, dockerfile)
	}
	if err != nil {
		return nil, err
	}
	ix := &contextIndex{dir: dir}
	if m.Active() {
		ix.ignore = m.Path
	}
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // an unreadable entry: BuildKit would fail on it; the estimate goes on
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if p == root {
			return nil
		}
		rel, rerr := filepath.Rel(root, p)
		if rerr != nil {
			return nil
		}
		rel = filepath.ToSlash(rel)
		excluded, skip := m.Excluded(rel, d.IsDir())
		if d.IsDir() {
			if skip {
				return filepath.SkipDir
			}
			return nil
		}
		if excluded {
			return nil
		}
		info, ierr := d.Info()
		if ierr != nil {
			return nil
		}
		size := info.Size()
		if !info.Mode().IsRegular() && info.Mode()&fs.ModeSymlink == 0 {
			size = 0
		}
		if len(ix.files) >= maxContextEntries {
			return fmt.Errorf("the build context %s holds more than %d files", dir, maxContextEntries)
		}
		ix.files = append(ix.files, ctxFile{rel: rel, size: size})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walking the build context: %w", err)
	}
	sort.Slice(ix.files, func(i, j int) bool { return ix.files[i].rel < ix.files[j].rel })
	return ix, nil
}

// read returns the content of a context file (at most max bytes).
func (ix *contextIndex) read(rel string, max int64) ([]byte, error) {
	f, err := os.Open(filepath.Join(ix.dir, filepath.FromSlash(rel)))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes", rel, max)
	}
	return b, nil
}

// copied is a file a COPY or ADD puts in the image: the context path and
// where it lands, relative to the destination.
type copied struct {
	ctxRel string
	dstRel string
	size   int64
}

// take resolves the context reads of one COPY or ADD source to the files
// it copies, with their paths below the destination. single is true when
// the destination names a file (one source that is a file, and a
// destination without a trailing slash).
func (ix *contextIndex) take(r buildplan.Read) []copied {
	var out []copied
	for _, f := range ix.files {
		if !buildcontext.Takes(r, f.rel) {
			continue
		}
		out = append(out, copied{ctxRel: f.rel, dstRel: dstRel(r, f.rel), size: f.size})
	}
	return out
}

// dstRel is where a context file lands below a COPY's destination: the
// whole context keeps its paths; a directory source copies its contents;
// a file source (or a pattern's match) lands under its base name.
func dstRel(r buildplan.Read, rel string) string {
	p := r.Path
	switch {
	case p == "":
		return rel
	case !r.Wildcard:
		if rel == p {
			return path.Base(rel)
		}
		return strings.TrimPrefix(rel, p+"/")
	}
	depth := strings.Count(p, "/") + 1
	parts := strings.SplitN(rel, "/", depth+1)
	if len(parts) <= depth {
		return path.Base(rel)
	}
	return parts[depth-1] + "/" + parts[depth]
}

// sum adds up the sizes.
func sumCopied(cs []copied) int64 {
	var n int64
	for _, c := range cs {
		n += c.size
	}
	return n
}
