// Package imagediff compares two images file by file: what B adds,
// removes and changes relative to A (content by hash, size, mode, owner,
// link target), grouped by top directory with byte totals, the layers of
// each side with those both share, and a summary of where the bytes went.
//
// Run reads both images at once, one streaming pass each (image.Analyze
// joined by an image.Shared, so a layer both use is decoded once);
// Compare diffs two results already made with the same Shared, which is
// how strata compare adds the diff's summary without reading the images
// again. Rendering is internal/report's job.
package imagediff

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/stratatools/strata/internal/image"
)

// Diff is B against A.
type Diff struct {
	A, B Side `json:"-"`
	// Files lists every path that differs, by path.
	Files []FileChange `json:"files"`
	// Groups totals the changes by top directory, largest change first.
	Groups  []Group  `json:"groups"`
	Summary Summary  `json:"summary"`
	Notes   []string `json:"notes"`
	// ReusedLayers counts the layer blobs read once for both sides.
	ReusedLayers int `json:"reused_layers"`
}

// Side is one image of the diff.
type Side struct {
	Source string `json:"source"`
	ID     string `json:"id,omitempty"`
	Digest string `json:"digest,omitempty"`
	// Size is the sum of the layers' uncompressed sizes; Content the bytes
	// of the final filesystem's regular files.
	Size    int64   `json:"size"`
	Content int64   `json:"content_bytes"`
	Files   int     `json:"files"`
	Layers  []Layer `json:"layers"`
	// Result is the analysis the side came from.
	Result *image.Result `json:"-"`
}

// Layer is one layer of a side.
type Layer struct {
	Index     int    `json:"index"`
	DiffID    string `json:"diff_id,omitempty"`
	Size      int64  `json:"size"`
	CreatedBy string `json:"created_by"`
	// Shared marks a layer the other image has too (same diff ID).
	Shared bool `json:"shared"`
}

// Ops of a FileChange.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// What a changed path's Changed lists.
const (
	WhatKind    = "kind"
	WhatContent = "content"
	WhatSize    = "size"
	WhatMode    = "mode"
	WhatOwner   = "owner"
	WhatLink    = "link"
)

// FileChange is one path that differs.
type FileChange struct {
	Path string `json:"path"`
	Op   string `json:"op"`
	// A and B are the path on each side; nil where it is absent.
	A *State `json:"a,omitempty"`
	B *State `json:"b,omitempty"`
	// Changed says what differs for a changed path (WhatKind, ...).
	Changed []string `json:"changed,omitempty"`
	// Delta is B's content bytes minus A's.
	Delta int64 `json:"delta"`
}

// State is a path on one side.
type State struct {
	Kind image.Kind `json:"kind"`
	Size int64      `json:"size"`
	Mode uint32     `json:"mode"`
	UID  uint32     `json:"uid"`
	GID  uint32     `json:"gid"`
	Link string     `json:"link,omitempty"`
	// Layer is the 1-based layer that made the path's content.
	Layer int `json:"layer"`
}

// Group totals the changes below one top directory ("/" for the root's
// own files).
type Group struct {
	Dir          string `json:"dir"`
	Added        int    `json:"added"`
	Removed      int    `json:"removed"`
	Changed      int    `json:"changed"`
	AddedBytes   int64  `json:"added_bytes"`
	RemovedBytes int64  `json:"removed_bytes"`
	// Delta is the group's B content bytes minus A's.
	Delta int64 `json:"delta"`
	// Files indexes the group's changes in Diff.Files.
	Files []int `json:"-"`
}

// Summary says where the bytes went.
type Summary struct {
	Added   int `json:"added"`
	Removed int `json:"removed"`
	Changed int `json:"changed"`
	// Delta is B's content bytes minus A's; SizeDelta the same for the
	// images' uncompressed sizes.
	Delta     int64 `json:"delta"`
	SizeDelta int64 `json:"size_delta"`
	// Dirs are the directories that explain most of the difference.
	Dirs []DirDelta `json:"dirs"`
	// Text is the summary in one sentence.
	Text string `json:"text"`
}

// DirDelta is one directory's change in content bytes.
type DirDelta struct {
	Path  string `json:"path"`
	Delta int64  `json:"delta"`
}

// Options tune Run.
type Options struct {
	// Jobs is the number of layers each side decodes at once (0: the
	// number of CPUs).
	Jobs int
	// Progress, if set, hears each side's reading ("A" or "B").
	Progress func(side string, p image.Progress)
}

// Run reads a and b at once, one pass each, and diffs them. Errors name
// the image and layer; bad input wraps a vocab.InputError.
func Run(ctx context.Context, a, b image.Source, opts Options) (*Diff, error) {
	sh := image.NewShared(2)
	var res [2]*image.Result
	g, gctx := errgroup.WithContext(ctx)
	for i, src := range []image.Source{a, b} {
		label := []string{"A", "B"}[i]
		o := image.Options{Jobs: opts.Jobs, Shared: sh}
		if opts.Progress != nil {
			o.Progress = func(p image.Progress) { opts.Progress(label, p) }
		}
		g.Go(func() error {
			r, err := image.Analyze(gctx, src, o)
			res[i] = r
			return err
		})
	}
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	d, err := Compare(res[0], res[1])
	if err != nil {
		return nil, err
	}
	d.ReusedLayers = sh.Reused()
	return d, nil
}

// Compare diffs two analyses made with the same image.Shared.
func Compare(a, b *image.Result) (*Diff, error) {
	if !a.SameHashes(b) {
		return nil, fmt.Errorf("imagediff: %s and %s were not analysed with the same image.Shared; their contents cannot be compared", a.Image.Source, b.Image.Source)
	}
	d := &Diff{A: side(a, b), B: side(b, a), Notes: []string{}}
	unhashed := 0
	i, j := 0, 0
	fa, fb := a.Files, b.Files
	for i < len(fa) || j < len(fb) {
		switch c := comparePaths(fa, fb, i, j); {
		case c < 0:
			d.Files = append(d.Files, FileChange{Path: fa[i].Path, Op: Removed, A: state(&fa[i]), Delta: -content(&fa[i])})
			i++
		case c > 0:
			d.Files = append(d.Files, FileChange{Path: fb[j].Path, Op: Added, B: state(&fb[j]), Delta: content(&fb[j])})
			j++
		default:
			what, sizeOnly := differs(&fa[i], &fb[j])
			if sizeOnly {
				unhashed++
			}
			if len(what) > 0 {
				d.Files = append(d.Files, FileChange{
					Path: fa[i].Path, Op: Changed, A: state(&fa[i]), B: state(&fb[j]),
					Changed: what, Delta: content(&fb[j]) - content(&fa[i]),
				})
			}
			i++
			j++
		}
	}
	if unhashed > 0 {
		d.Notes = append(d.Notes, fmt.Sprintf("%d file(s) of equal size on both sides had no content hash (sparse files) and were compared by size only", unhashed))
	}
	d.Groups = groups(d.Files)
	d.Summary = summarize(d)
	return d, nil
}

// comparePaths orders a.Files[i] and b.Files[j] (either may be past its
// end) the way the listings are ordered: depth first, children by name.
func comparePaths(fa, fb []image.File, i, j int) int {
	switch {
	case i >= len(fa):
		return 1
	case j >= len(fb):
		return -1
	}
	return treeOrder(fa[i].Path, fb[j].Path)
}

// treeOrder compares paths component by component, as a depth-first walk
// with sorted children lists them ("a/b" before "a.b", unlike a plain
// string comparison).
func treeOrder(p, q string) int {
	for {
		pc, pr, pok := strings.Cut(p, "/")
		qc, qr, qok := strings.Cut(q, "/")
		if c := strings.Compare(pc, qc); c != 0 {
			return c
		}
		switch {
		case !pok && !qok:
			return 0
		case !pok:
			return -1
		case !qok:
			return 1
		}
		p, q = pr, qr
	}
}

func side(r, other *image.Result) Side {
	s := Side{Source: r.Image.Source, ID: r.Image.ID, Digest: r.Image.Digest, Size: r.Totals.Size, Content: r.Totals.VisibleBytes, Files: r.Totals.Files, Result: r}
	theirs := map[string]bool{}
	for _, l := range other.Layers {
		theirs[l.DiffID] = true
	}
	for _, l := range r.Layers {
		s.Layers = append(s.Layers, Layer{Index: l.Index, DiffID: l.DiffID, Size: l.Size, CreatedBy: image.ShortCommand(l.CreatedBy, 100), Shared: l.DiffID != "" && theirs[l.DiffID]})
	}
	return s
}

func state(f *image.File) *State {
	s := &State{Kind: f.Kind, Mode: f.Mode, UID: f.UID, GID: f.GID, Link: f.Link, Layer: f.Layer}
	if f.Kind == image.KindFile {
		s.Size = f.Size
	}
	return s
}

// content is a path's own content bytes (a directory's are its files').
func content(f *image.File) int64 {
	if f.Kind == image.KindFile {
		return f.Size
	}
	return 0
}

// differs lists what differs between the same path on both sides.
// sizeOnly reports two regular files of equal size that could not be
// compared by hash.
func differs(a, b *image.File) (what []string, sizeOnly bool) {
	if a.Kind != b.Kind {
		return []string{WhatKind}, false
	}
	switch a.Kind {
	case image.KindFile:
		ha, oka := a.ContentHash()
		hb, okb := b.ContentHash()
		switch {
		case a.Size != b.Size:
			what = append(what, WhatSize, WhatContent)
		case a.Size == 0:
		case oka && okb:
			if ha != hb {
				what = append(what, WhatContent)
			}
		default:
			sizeOnly = true
		}
	case image.KindSymlink, image.KindHardlink:
		if a.Link != b.Link {
			what = append(what, WhatLink)
		}
	}
	if a.Mode != b.Mode {
		what = append(what, WhatMode)
	}
	if a.UID != b.UID || a.GID != b.GID {
		what = append(what, WhatOwner)
	}
	return what, sizeOnly
}

// groupOf is the top directory a change belongs to: "/usr" for
// usr/lib/x and for usr itself, "/" for the root's own files.
func groupOf(f *FileChange) string {
	if i := strings.IndexByte(f.Path, '/'); i >= 0 {
		return "/" + f.Path[:i]
	}
	if (f.A != nil && f.A.Kind == image.KindDir) || (f.B != nil && f.B.Kind == image.KindDir) {
		return "/" + f.Path
	}
	return "/"
}

func groups(files []FileChange) []Group {
	byDir := map[string]*Group{}
	var order []string
	for i, f := range files {
		dir := groupOf(&f)
		g := byDir[dir]
		if g == nil {
			g = &Group{Dir: dir}
			byDir[dir] = g
			order = append(order, dir)
		}
		g.Files = append(g.Files, i)
		g.Delta += f.Delta
		switch f.Op {
		case Added:
			g.Added++
			g.AddedBytes += f.Delta
		case Removed:
			g.Removed++
			g.RemovedBytes -= f.Delta
		default:
			g.Changed++
			if f.Delta > 0 {
				g.AddedBytes += f.Delta
			} else {
				g.RemovedBytes -= f.Delta
			}
		}
	}
	out := make([]Group, 0, len(order))
	for _, dir := range order {
		out = append(out, *byDir[dir])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ai, aj := abs(out[i].Delta), abs(out[j].Delta); ai != aj {
			return ai > aj
		}
		return out[i].Dir < out[j].Dir
	})
	return out
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
