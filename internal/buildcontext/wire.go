package buildcontext

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/tonistiigi/fsutil"
	"github.com/tonistiigi/fsutil/types"
)

// chunkSize is how much of a file fsutil's sender puts in one data
// packet (its copy buffer).
const chunkSize = 32 << 10

// sent is one entry of a transfer, in the order the client sends it.
type sent struct {
	// Path is context-relative and slash-separated.
	Path string
	Mode fs.FileMode
	// Size is the file's size; 0 for directories.
	Size int64
	// Hardlink is true when the entry is sent as a link to an earlier
	// one (its data is not sent again).
	Hardlink bool
	// Wire is what BuildKit counts for the entry: its metadata packet
	// and, for a file, the packets of its content.
	Wire int64
	// Readable is false when the mode denies this process reading the
	// file: the client's transfer would fail on it.
	Readable bool
}

// transfer walks what BuildKit's client sends for a transfer of the
// context with the given exclude patterns and follow paths (nil: the
// whole context), with fsutil's own filter, and calls fn for each entry.
// It returns the bytes BuildKit counts for the whole transfer
// ("transferring context: N"): every packet it receives, as the
// receiver of a first transfer (one that has none of the files yet)
// requests every file's content.
func transfer(ctx context.Context, dfs *diskFS, excludes, follow []string, fn func(*sent) error) (int64, error) {
	filtered, err := fsutil.NewFilterFS(dfs, &fsutil.FilterOpt{ExcludePatterns: excludes, FollowPaths: follow})
	if err != nil {
		return 0, err
	}
	src := fsutil.WithHardlinkReset(filtered)
	var total int64
	var id uint32
	err = src.Walk(ctx, "/", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*types.Stat)
		if !ok {
			return &os.PathError{Op: "walk", Path: p, Err: syscall.EBADMSG}
		}
		st.Path = filepath.ToSlash(st.Path)
		mode := fs.FileMode(st.Mode)
		e := &sent{Path: st.Path, Mode: mode, Size: st.Size, Readable: true}
		e.Wire = int64((&types.Packet{Type: types.PACKET_STAT, Stat: st}).SizeVT())
		if mode&fs.ModeType == 0 {
			if st.Linkname != "" {
				e.Hardlink = true
			} else {
				e.Wire += dataWire(id, st.Size)
				e.Readable = !dfs.isUnreadable(st.Path)
			}
		}
		id++
		total += e.Wire
		return fn(e)
	})
	if err != nil {
		return 0, err
	}
	// The empty metadata packet that ends the list, and the end of the
	// transfer.
	total += int64((&types.Packet{Type: types.PACKET_STAT}).SizeVT())
	total += int64((&types.Packet{Type: types.PACKET_FIN}).SizeVT())
	return total, nil
}

// dataWire is the size of the packets that carry a file of size n with
// transfer id: one per chunk, then an empty one.
func dataWire(id uint32, n int64) int64 {
	var w int64
	full := n / chunkSize
	if full > 0 {
		w += full * int64((&types.Packet{Type: types.PACKET_DATA, ID: id, Data: make([]byte, chunkSize)}).SizeVT())
	}
	if rest := n % chunkSize; rest > 0 {
		w += int64((&types.Packet{Type: types.PACKET_DATA, ID: id}).SizeVT()) + 1 + int64(varintLen(uint64(rest))) + rest
	}
	return w + int64((&types.Packet{Type: types.PACKET_DATA, ID: id}).SizeVT())
}

func varintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}
