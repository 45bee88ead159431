package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagediff"
)

// DiffTextOptions tune the text report of strata diff.
type DiffTextOptions struct {
	Color bool
	// Top bounds the paths listed per directory group, largest change
	// first (0: all).
	Top int
}

// DiffText writes strata diff's human-readable report: both images, their
// layers (the shared ones folded into one line), the summary, and the
// changes grouped by top directory with byte totals.
func DiffText(w io.Writer, d *imagediff.Diff, opts DiffTextOptions) error {
	p := imagePaint{on: opts.Color}
	var b bytes.Buffer
	for i, s := range []imagediff.Side{d.A, d.B} {
		label := []string{"A", "B"}[i]
		fmt.Fprintf(&b, "%s %s  %s, %d files, %s of content\n", p.bold(label+":"), s.Source, FormatSize(s.Size), s.Files, FormatSize(s.Content))
	}
	b.WriteString("\n" + p.bold("Layers") + "\n")
	for i, s := range []imagediff.Side{d.A, d.B} {
		writeDiffLayers(&b, p, []string{"A", "B"}[i], s.Layers)
	}
	if d.ReusedLayers > 0 {
		fmt.Fprintf(&b, "  %s\n", p.dim(fmt.Sprintf("%d shared layer blob(s) read once for both sides", d.ReusedLayers)))
	}
	b.WriteString("\n" + p.bold("Summary") + "\n  " + d.Summary.Text + "\n")
	if d.Summary.SizeDelta != 0 {
		fmt.Fprintf(&b, "  image size %s → %s (%s)\n", FormatSize(d.A.Size), FormatSize(d.B.Size), imagediff.SignedSize(d.Summary.SizeDelta))
	}
	for _, g := range d.Groups {
		fmt.Fprintf(&b, "\n%s  %s  (%d added, %d removed, %d changed; +%s −%s)\n", p.bold(g.Dir), signed(p, g.Delta),
			g.Added, g.Removed, g.Changed, FormatSize(g.AddedBytes), FormatSize(g.RemovedBytes))
		idx := append([]int(nil), g.Files...)
		sort.SliceStable(idx, func(i, j int) bool { return abs64(d.Files[idx[i]].Delta) > abs64(d.Files[idx[j]].Delta) })
		shown := idx
		if opts.Top > 0 && len(shown) > opts.Top {
			shown = shown[:opts.Top]
		}
		sort.Ints(shown)
		for _, k := range shown {
			writeDiffFile(&b, p, &d.Files[k])
		}
		if len(shown) < len(idx) {
			fmt.Fprintf(&b, "  %s\n", p.dim(fmt.Sprintf("… and %d more (--top 0 lists all)", len(idx)-len(shown))))
		}
	}
	if len(d.Notes) > 0 {
		b.WriteString("\n" + p.bold("Notes") + "\n")
		for _, n := range d.Notes {
			fmt.Fprintf(&b, "  %s\n", n)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeDiffLayers lists a side's layers, the shared ones as one line.
func writeDiffLayers(b *bytes.Buffer, p imagePaint, label string, layers []imagediff.Layer) {
	var shared []int
	var sharedBytes int64
	for _, l := range layers {
		if l.Shared {
			shared = append(shared, l.Index)
			sharedBytes += l.Size
		}
	}
	if len(shared) > 0 {
		fmt.Fprintf(b, "  %s %s\n", label, p.dim(fmt.Sprintf("layers %s: shared with the other image (%s)", intRanges(shared), FormatSize(sharedBytes))))
	}
	for _, l := range layers {
		if !l.Shared {
			fmt.Fprintf(b, "  %s %3d  %9s  %s\n", label, l.Index, FormatSize(l.Size), l.CreatedBy)
		}
	}
}

// intRanges writes sorted numbers as "1-3, 5".
func intRanges(ns []int) string {
	var parts []string
	for i := 0; i < len(ns); {
		j := i
		for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", ns[i], ns[j]))
		} else {
			parts = append(parts, fmt.Sprint(ns[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func writeDiffFile(b *bytes.Buffer, p imagePaint, f *imagediff.FileChange) {
	var mark, detail string
	switch f.Op {
	case imagediff.Added:
		mark = p.green("+")
		detail = describeState(f.B)
	case imagediff.Removed:
		mark = p.red("-")
		detail = describeState(f.A)
	default:
		mark = p.yellow("~")
		var parts []string
		for _, what := range f.Changed {
			parts = append(parts, describeChange(what, f.A, f.B))
		}
		detail = strings.Join(parts, "; ")
	}
	fmt.Fprintf(b, "  %s /%s  %s\n", mark, f.Path, p.dim(detail))
}

func describeState(s *imagediff.State) string {
	switch s.Kind {
	case image.KindFile:
		return FormatSize(s.Size)
	case image.KindSymlink, image.KindHardlink:
		return s.Kind.String() + " → " + s.Link
	}
	return s.Kind.String()
}

func describeChange(what string, a, b *imagediff.State) string {
	switch what {
	case imagediff.WhatKind:
		return fmt.Sprintf("%s → %s", a.Kind, b.Kind)
	case imagediff.WhatSize:
		return fmt.Sprintf("%s → %s", FormatSize(a.Size), FormatSize(b.Size))
	case imagediff.WhatContent:
		return "content"
	case imagediff.WhatMode:
		return fmt.Sprintf("mode %04o → %04o", a.Mode, b.Mode)
	case imagediff.WhatOwner:
		return fmt.Sprintf("owner %d:%d → %d:%d", a.UID, a.GID, b.UID, b.GID)
	case imagediff.WhatLink:
		return fmt.Sprintf("link %s → %s", a.Link, b.Link)
	}
	return what
}

func signed(p imagePaint, n int64) string {
	s := imagediff.SignedSize(n)
	switch {
	case n < 0:
		return p.green(s)
	case n > 0:
		return p.red(s)
	}
	return s
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// DiffDocument is strata diff's JSON report.
type DiffDocument struct {
	A diffSideJSON `json:"a"`
	B diffSideJSON `json:"b"`
	*imagediff.Diff
}

type diffSideJSON struct {
	imagediff.Side
	Layers []imagediff.Layer `json:"layers"`
}

// DiffJSON writes the diff as one JSON document: both images with their
// layers, every changed path, the groups and the summary. Arrays are
// never null.
func DiffJSON(w io.Writer, d *imagediff.Diff) error {
	dd := *d // fill empty arrays on copies, never on the caller's diff
	dd.Files = append([]imagediff.FileChange{}, d.Files...)
	if dd.Groups == nil {
		dd.Groups = []imagediff.Group{}
	}
	doc := DiffDocument{Diff: &dd}
	for i, s := range []imagediff.Side{d.A, d.B} {
		side := diffSideJSON{Side: s, Layers: s.Layers}
		if side.Layers == nil {
			side.Layers = []imagediff.Layer{}
		}
		if i == 0 {
			doc.A = side
		} else {
			doc.B = side
		}
	}
	for i := range dd.Files {
		if dd.Files[i].Changed == nil {
			dd.Files[i].Changed = []string{}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing the JSON report: %w", err)
	}
	return nil
}
