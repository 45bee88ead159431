package buildcontext

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/tonistiigi/fsutil"
	"github.com/tonistiigi/fsutil/types"
	"golang.org/x/sys/unix"
)

// diskFS is the build context directory as BuildKit's client reads it
// (fsutil.NewFS), read faster: the entries of a directory are stat'ed in
// parallel before the walk visits them, relative to the directory's file
// descriptor. It gives every entry the *types.Stat fsutil would give it
// (mode, size, modification time, link target, device numbers, extended
// attributes, hard links to an entry visited before), so that fsutil's
// own filter decides what is sent and the transfer can be sized exactly.
//
// It never follows a symbolic link: links are entries like any other.
// Directories it cannot read and entries it cannot stat are recorded in
// problems and left out, and the walk goes on.
type diskFS struct {
	root    string
	workers int

	uid  uint32
	gids map[uint32]bool

	mu       sync.Mutex
	problems []Problem
	// unreadable are the regular files whose mode denies this process
	// reading them.
	unreadable map[string]bool
}

// walk is one Walk call's state. seen maps the device and inode of a file
// with several links to the first path the walk gave it (hard links, as
// fsutil records them for each walk).
type walk struct {
	fn   fs.WalkDirFunc
	seen map[[2]uint64]string
}

// Problem is a context entry that could not be read.
type Problem struct {
	Path string `json:"path"`
	Err  string `json:"error"`
}

func newDiskFS(root string) *diskFS {
	d := &diskFS{root: root, workers: 4 * runtime.GOMAXPROCS(0), uid: uint32(os.Geteuid()),
		gids: map[uint32]bool{uint32(os.Getegid()): true}, unreadable: map[string]bool{}}
	if gs, err := os.Getgroups(); err == nil {
		for _, g := range gs {
			d.gids[uint32(g)] = true
		}
	}
	return d
}

func (d *diskFS) problem(rel string, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.problems = append(d.problems, Problem{Path: filepath.ToSlash(rel), Err: describeErr(err)})
}

func describeErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return err.Error()
}

// entry is one directory entry with its stat.
type entry struct {
	name string
	st   unix.Stat_t
	// link is a symbolic link's target; xattrs the extended attributes.
	link   string
	xattrs map[string][]byte
	err    error
}

// Walk implements fsutil.FS: fn sees every entry below target (which must
// be "/" or a relative directory), parents first, each directory's
// entries sorted by name, as filepath.WalkDir gives them.
func (d *diskFS) Walk(ctx context.Context, target string, fn fs.WalkDirFunc) error {
	w := &walk{fn: fn, seen: map[[2]uint64]string{}}
	start := filepath.Clean(strings.TrimPrefix(filepath.FromSlash(target), string(filepath.Separator)))
	var err error
	if start == "." {
		err = d.walkDir(ctx, w, "")
	} else {
		err = d.walkTarget(ctx, w, start)
	}
	if errors.Is(err, filepath.SkipDir) || errors.Is(err, filepath.SkipAll) {
		return nil
	}
	return err
}

// walkTarget walks a directory below the root, itself first, as
// filepath.WalkDir does; a target that does not exist is no error.
func (d *diskFS) walkTarget(ctx context.Context, w *walk, rel string) error {
	e := &entry{name: filepath.Base(rel)}
	err := unix.Lstat(filepath.Join(d.root, rel), &e.st)
	if err == nil && e.st.Mode&unix.S_IFMT == unix.S_IFLNK {
		e.link, err = os.Readlink(filepath.Join(d.root, rel))
	}
	if err == nil {
		e.xattrs, err = readXattrs(filepath.Join(d.root, rel))
	}
	if err != nil {
		if isNotExist(err) {
			return nil
		}
		return w.fn(rel, nil, err)
	}
	err = w.fn(rel, &dirEntry{path: rel, e: e, stat: d.mkstat(w, rel, e)}, nil)
	if err != nil || e.st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return err
	}
	return d.walkDir(ctx, w, rel)
}

func (d *diskFS) walkDir(ctx context.Context, w *walk, rel string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ents, err := d.readDir(rel)
	if err != nil {
		d.problem(rel, err)
		return nil
	}
	for i := range ents {
		e := &ents[i]
		p := e.name
		if rel != "" {
			p = filepath.Join(rel, e.name)
		}
		if e.err != nil {
			if !isNotExist(e.err) {
				d.problem(p, e.err)
			}
			continue
		}
		// fsutil makes the stat of every entry its walk visits, sent or
		// not (the client's own filter asks for it before the request's
		// filter decides), so hard links are decided in that order.
		de := &dirEntry{path: p, e: e, stat: d.mkstat(w, p, e)}
		err := w.fn(p, de, nil)
		isDir := e.st.Mode&unix.S_IFMT == unix.S_IFDIR
		switch {
		case errors.Is(err, filepath.SkipDir):
			if !isDir {
				return nil // the rest of this directory
			}
			continue
		case err != nil:
			return err
		}
		if isDir {
			if err := d.walkDir(ctx, w, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// readDir reads the directory rel and stats its entries in parallel.
func (d *diskFS) readDir(rel string) ([]entry, error) {
	f, err := os.Open(filepath.Join(d.root, rel))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	ents := make([]entry, len(names))
	dirfd := int(f.Fd())
	dirPath := filepath.Join(d.root, rel)
	stat := func(i int) {
		e := &ents[i]
		e.name = names[i]
		e.err = statEntry(dirfd, dirPath, e)
	}
	n := len(names)
	workers := min(d.workers, n/8)
	if workers < 2 {
		for i := range n {
			stat(i)
		}
		return ents, nil
	}
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				stat(i)
			}
		}()
	}
	wg.Wait()
	runtime.KeepAlive(f)
	return ents, nil
}

// statEntry fills e from the file system: lstat, the link target and
// the extended attributes, as fsutil reads them.
func statEntry(dirfd int, dirPath string, e *entry) error {
	if err := unix.Fstatat(dirfd, e.name, &e.st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return &os.PathError{Op: "lstat", Path: filepath.Join(dirPath, e.name), Err: err}
	}
	if e.st.Mode&unix.S_IFMT == unix.S_IFLNK {
		buf := make([]byte, 256)
		for {
			n, err := unix.Readlinkat(dirfd, e.name, buf)
			if err != nil {
				return &os.PathError{Op: "readlink", Path: filepath.Join(dirPath, e.name), Err: err}
			}
			if n < len(buf) {
				e.link = string(buf[:n])
				break
			}
			buf = make([]byte, 2*len(buf))
		}
	}
	var xattrs map[string][]byte
	var err error
	if has, known := listXattrAt(dirfd, e.name); known && !has {
		return nil // the common case, told by one call relative to dirfd
	}
	if xattrs, err = readXattrs(filepath.Join(dirPath, e.name)); err != nil {
		return err
	}
	e.xattrs = xattrs
	return nil
}

// sysListxattrat is listxattrat(2) (Linux 6.13), the same number on every
// architecture.
const sysListxattrat = 465

// listXattrAt reports whether the entry name of directory dirfd has
// extended attributes, without resolving its whole path. known is false
// when the kernel lacks the call or it failed (then readXattrs decides).
func listXattrAt(dirfd int, name string) (has, known bool) {
	p, err := unix.BytePtrFromString(name)
	if err != nil {
		return false, false
	}
	n, _, errno := unix.Syscall6(sysListxattrat, uintptr(dirfd), uintptr(unsafe.Pointer(p)), uintptr(unix.AT_SYMLINK_NOFOLLOW), 0, 0, 0)
	if errno != 0 {
		if errno == unix.ENOTSUP {
			return false, true
		}
		return false, false
	}
	return n > 0, true
}

// readXattrs returns the extended attributes fsutil sends for path
// (all but com.apple.*); nil when there are none or the file system has
// none.
func readXattrs(path string) (map[string][]byte, error) {
	var small [256]byte
	buf := small[:]
	n, err := unix.Llistxattr(path, buf)
	if errors.Is(err, unix.ERANGE) {
		if n, err = unix.Llistxattr(path, nil); err == nil {
			buf = make([]byte, n)
			n, err = unix.Llistxattr(path, buf)
		}
	}
	switch {
	case errors.Is(err, unix.ENOTSUP), errors.Is(err, unix.ENOENT):
		return nil, nil
	case err != nil:
		return nil, &os.PathError{Op: "listxattr", Path: path, Err: err}
	case n == 0:
		return nil, nil
	}
	var out map[string][]byte
	for _, key := range strings.Split(strings.TrimRight(string(buf[:n]), "\x00"), "\x00") {
		if key == "" || strings.HasPrefix(key, "com.apple.") {
			continue
		}
		sz, err := unix.Lgetxattr(path, key, nil)
		if err != nil {
			continue
		}
		val := make([]byte, sz)
		if sz > 0 {
			if sz, err = unix.Lgetxattr(path, key, val); err != nil {
				continue
			}
		}
		if out == nil {
			out = map[string][]byte{}
		}
		out[key] = val[:sz]
	}
	return out, nil
}

func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, unix.ENOTDIR)
}

// Open implements fsutil.FS.
func (d *diskFS) Open(p string) (io.ReadCloser, error) {
	return os.Open(filepath.Join(d.root, p))
}

// dirEntry is an entry of diskFS.
type dirEntry struct {
	path string
	e    *entry
	stat *types.Stat
}

func (de *dirEntry) Name() string { return de.e.name }
func (de *dirEntry) IsDir() bool  { return de.e.st.Mode&unix.S_IFMT == unix.S_IFDIR }
func (de *dirEntry) Type() fs.FileMode {
	return fileMode(&de.e.st).Type()
}

// Info returns the entry's stat as fsutil makes it. The walk never comes
// back to an entry, so the stat is not copied.
func (de *dirEntry) Info() (fs.FileInfo, error) {
	return &fsutil.StatInfo{Stat: de.stat}, nil
}

// mkstat builds the *types.Stat fsutil sends for an entry (its mkstat),
// owned by root as the clients (strata, docker buildx) send the context.
func (d *diskFS) mkstat(w *walk, rel string, e *entry) *types.Stat {
	st := &e.st
	mode := fileMode(st)
	s := &types.Stat{
		Path:    filepath.ToSlash(rel),
		Mode:    uint32(mode &^ fs.ModeSocket),
		ModTime: time.Unix(st.Mtim.Unix()).UnixNano(),
		Xattrs:  e.xattrs,
	}
	if mode.IsRegular() && !d.canRead(st) {
		d.mu.Lock()
		d.unreadable[s.Path] = true
		d.mu.Unlock()
	}
	if !mode.IsDir() {
		s.Size = st.Size
		if mode&fs.ModeSymlink != 0 {
			s.Linkname = e.link
		}
		if mode&fs.ModeDevice != 0 {
			s.Devmajor = int64(unix.Major(st.Rdev))
			s.Devminor = int64(unix.Minor(st.Rdev))
		}
		if st.Nlink > 1 {
			key := [2]uint64{st.Dev, st.Ino}
			// fsutil records the link but keeps the size.
			if first, ok := w.seen[key]; ok {
				s.Linkname = first
			} else {
				w.seen[key] = s.Path
			}
		}
	}
	return s
}

// canRead reports whether the mode bits let this process read the file;
// root reads everything.
func (d *diskFS) canRead(st *unix.Stat_t) bool {
	perm := st.Mode & 0o777
	switch {
	case d.uid == 0:
		return true
	case st.Uid == d.uid:
		return perm&0o400 != 0
	case d.gids[st.Gid]:
		return perm&0o040 != 0
	}
	return perm&0o004 != 0
}

func (d *diskFS) isUnreadable(rel string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.unreadable[rel]
}

// fileMode converts a stat mode to Go's, as the os package does.
func fileMode(st *unix.Stat_t) fs.FileMode {
	m := fs.FileMode(st.Mode & 0o777)
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFBLK:
		m |= fs.ModeDevice
	case unix.S_IFCHR:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFDIR:
		m |= fs.ModeDir
	case unix.S_IFIFO:
		m |= fs.ModeNamedPipe
	case unix.S_IFLNK:
		m |= fs.ModeSymlink
	case unix.S_IFSOCK:
		m |= fs.ModeSocket
	}
	if st.Mode&unix.S_ISGID != 0 {
		m |= fs.ModeSetgid
	}
	if st.Mode&unix.S_ISUID != 0 {
		m |= fs.ModeSetuid
	}
	if st.Mode&unix.S_ISVTX != 0 {
		m |= fs.ModeSticky
	}
	return m
}
