package fix

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/stratatools/strata/internal/atomicfile"
	"github.com/stratatools/strata/internal/fix/edit"
)

// WriteFile replaces path with data atomically: the bytes go to a
// temporary file in the same directory, which is synced and renamed over
// the original. The original's permission bits are kept; on any error
// the original is left untouched and the temporary file removed. When
// path is a symbolic link (or a chain of them), the file it points to is
// replaced, in the target's directory, and the link is kept.
func WriteFile(path string, data []byte) (err error) {
	target, err := resolveLink(path)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if target != path {
		if err := WriteFile(target, data); err != nil {
			return fmt.Errorf("writing %s (a link to %s): %w", path, target, errors.Unwrap(err))
		}
		return nil
	}
	mode := os.FileMode(0o644)
	if fi, statErr := os.Stat(path); statErr == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("writing %s: not a regular file", path)
		}
		mode = fi.Mode().Perm()
		// Renaming over a read-only file would succeed on POSIX; refuse
		// as an editor would, since the user marked it not writable.
		if mode&0o200 == 0 {
			return fmt.Errorf("writing %s: file is read-only", path)
		}
	}
	// The user's file: flushed to disk, the rename too.
	return atomicfile.Write(path, data, mode, true)
}

// resolveLink returns the file path names once symbolic links are
// followed: path itself when it is not a link or does not exist yet. A
// link whose target is missing resolves to that target (it is created);
// a loop of links is an error.
func resolveLink(path string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return path, nil
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return real, nil
	}
	// A dangling link: follow it one step at a time, a bounded number
	// of times, to the name it would create.
	cur := path
	for range 40 {
		fi, err := os.Lstat(cur)
		if err != nil {
			return cur, nil
		}
		if fi.Mode()&os.ModeSymlink == 0 {
			return cur, nil
		}
		to, err := os.Readlink(cur)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(filepath.Dir(cur), to)
		}
		cur = to
	}
	return "", errors.New("too many levels of symbolic links")
}

// WriteCreated writes the files a fix adds into the build context dir.
// A file that already exists is left alone; a path that would leave dir
// is refused.
func WriteCreated(dir string, files []edit.NewFile) error {
	for _, nf := range files {
		rel := filepath.Clean(filepath.FromSlash(nf.Path))
		if filepath.IsAbs(rel) || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return fmt.Errorf("fix wants to create %s outside the build context", nf.Path)
		}
		p := filepath.Join(dir, rel)
		if _, err := os.Lstat(p); err == nil {
			continue
		}
		if err := WriteFile(p, []byte(nf.Content)); err != nil {
			return err
		}
	}
	return nil
}
