package image

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// Kind is the type of a filesystem entry.
type Kind uint8

// Entry kinds. Whiteout and Opaque exist only inside a layer, never in the
// merged tree.
const (
	KindFile Kind = iota + 1
	KindDir
	KindSymlink
	KindHardlink
	KindOther // device, fifo, socket
	KindWhiteout
	KindOpaque
)

func (k Kind) String() string {
	switch k {
	case KindFile:
		return "file"
	case KindDir:
		return "dir"
	case KindSymlink:
		return "symlink"
	case KindHardlink:
		return "hardlink"
	case KindOther:
		return "other"
	case KindWhiteout:
		return "whiteout"
	case KindOpaque:
		return "opaque"
	}
	return "unknown"
}

// MarshalText makes kinds readable in JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Whiteout file names defined by the OCI image spec.
const (
	whiteoutPrefix = ".wh."
	opaqueMarker   = ".wh..wh..opq"
)

// entry is one tar header of a layer, reduced to what the analysis needs.
// For KindWhiteout, path is the path removed (the ".wh." prefix stripped);
// for KindOpaque, path is the directory made opaque ("" for the root).
type entry struct {
	path string
	link string // symlink target, or hardlink target path (cleaned)
	size int64  // content bytes of a regular file, 0 otherwise
	hash uint64 // content hash of a regular file when hashed, 0 otherwise
	mode uint32 // permission bits with setuid, setgid and sticky (07777)
	uid  uint32
	gid  uint32
	kind Kind
	// hashed reports that hash holds the content's hash.
	hashed bool
	// captured marks an entry a rule asked to see (its first bytes, if
	// any, are in layerData.heads).
	captured bool
}

var (
	errAbsolutePath = errors.New("absolute path")
	errEscapingPath = errors.New("path escapes the image root")
)

// cleanEntryPath turns a tar header name into a clean path relative to the
// image root ("usr/bin/x"). It returns "" for the root itself. Absolute
// names and names that climb out of the root are errors: a layer that
// carries them is malformed or hostile.
func cleanEntryPath(name string) (string, error) {
	if name == "" {
		return "", errors.New("empty entry name")
	}
	if strings.HasPrefix(name, "/") {
		return "", fmt.Errorf("%w %q", errAbsolutePath, name)
	}
	if strings.IndexByte(name, 0) >= 0 {
		return "", fmt.Errorf("entry name %q contains a NUL byte", name)
	}
	p := path.Clean(name)
	if p == "." {
		return "", nil
	}
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", fmt.Errorf("%w: %q", errEscapingPath, name)
	}
	return p, nil
}

// splitWhiteout recognizes whiteout names. For "a/.wh.b" it returns
// ("a/b", KindWhiteout); for "a/.wh..wh..opq" it returns ("a", KindOpaque).
// Other names return ok=false. Names with the ".wh..wh." prefix other than
// the opaque marker are overlay bookkeeping and are reported as skip.
func splitWhiteout(p string) (target string, kind Kind, skip, ok bool) {
	dir, base := path.Split(p)
	if !strings.HasPrefix(base, whiteoutPrefix) {
		return "", 0, false, false
	}
	dir = strings.TrimSuffix(dir, "/")
	if base == opaqueMarker {
		return dir, KindOpaque, false, true
	}
	if strings.HasPrefix(base, whiteoutPrefix+whiteoutPrefix) {
		return "", 0, true, true
	}
	name := base[len(whiteoutPrefix):]
	if name == "" || name == "." || name == ".." {
		return "", 0, true, true
	}
	if dir == "" {
		return name, KindWhiteout, false, true
	}
	return dir + "/" + name, KindWhiteout, false, true
}
