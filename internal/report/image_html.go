package report

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagediff"
)

//go:embed assets/treemap.js
var treemapJS string

// layerColours are the treemap's colours, one per layer in turn.
var layerColours = []string{
	"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
	"#b07aa1", "#ff9da7", "#9c755f", "#86bcb6", "#8cd17d", "#d37295",
}

// Colours of the diff's treemap: added, removed, changed.
const (
	colourAdded   = "#2e9d4f"
	colourRemoved = "#d1453b"
	colourChanged = "#e0a31a"
)

// treemapData is the tree the page's script lays out: parallel arrays,
// one element per path, parents before children (P is -1 for the root's
// children).
type treemapData struct {
	N      []string `json:"n"`
	P      []int    `json:"p"`
	S      []int64  `json:"s"`
	C      []int    `json:"c"`
	D      []int    `json:"d"`
	Colors []string `json:"colors"`
	Legend []string `json:"legend"`
}

// htmlImagePage is what the page shows of an image or a diff.
type htmlImagePage struct {
	Title    string
	Heading  string
	Sub      []string
	Stats    []htmlStat
	Summary  string
	Layers   []htmlImageLayer
	Legend   []htmlLegend
	MapNote  string
	Waste    []htmlWaste
	Findings []htmlFinding
	Groups   []imagediff.Group
	Changes  []htmlChange
	More     int
	Notes    []string
	Diff     bool
}

type htmlStat struct{ Label, Value string }

type htmlLegend struct{ Label, Colour string }

type htmlImageLayer struct {
	Side, Index, Size, Added, Wasted, Command, Line, Colour string
	Base, Shared                                            bool
}

type htmlWaste struct {
	Path, Kind, Bytes string
	Created, Hidden   int
}

type htmlFinding struct {
	Rule, Severity, Message, Path, Line, Instruction string
	Layer                                            int
}

type htmlChange struct {
	Op, Path, Detail, Delta string
}

// maxHTMLChanges bounds the rows of the diff's change list (the JSON
// report lists every one).
const maxHTMLChanges = 2000

// ImageHTML writes strata image's self-contained page (no network): the
// figures, the layer table, a treemap of the final filesystem coloured by
// the layer that made each path, the waste list and the findings with
// their Dockerfile lines.
func ImageHTML(w io.Writer, r *image.Result) error {
	page := &htmlImagePage{
		Title:   "strata image: " + r.Image.Source,
		Heading: r.Image.Source,
		Sub:     []string{r.Image.Platform, "user " + orDash(r.Image.User)},
		Stats: []htmlStat{
			{"size", FormatSize(r.Totals.Size)}, {"layers", fmt.Sprint(r.Totals.Layers)},
			{"files", fmt.Sprint(r.Totals.Files)}, {"efficiency", fmt.Sprintf("%.1f %%", 100*r.Totals.Efficiency)},
			{"wasted", FormatSize(r.Waste.Total)},
		},
		Notes:   r.Notes,
		MapNote: "Each rectangle is a path, its area its bytes, its colour the layer that made it. Click a directory to zoom in.",
	}
	if r.Image.ID != "" {
		page.Sub = append(page.Sub, r.Image.ID)
	}
	for _, l := range r.Layers {
		hl := htmlImageLayer{
			Index: fmt.Sprint(l.Index), Size: FormatSize(l.Size), Added: FormatSize(l.AddedBytes), Wasted: FormatSize(l.WastedBytes),
			Command: image.ShortCommand(l.CreatedBy, 120), Colour: layerColours[(l.Index-1)%len(layerColours)], Base: l.Base,
		}
		if l.Line > 0 {
			hl.Line = lineRange(l.Line, l.EndLine)
		}
		page.Layers = append(page.Layers, hl)
		page.Legend = append(page.Legend, htmlLegend{Label: "layer " + hl.Index, Colour: hl.Colour})
	}
	for _, it := range r.Waste.Items {
		page.Waste = append(page.Waste, htmlWaste{Path: "/" + it.Path, Kind: it.Kind, Bytes: FormatSize(it.Bytes), Created: it.CreatedBy, Hidden: it.HiddenBy})
	}
	texts := map[int]string{}
	if r.Dockerfile != nil {
		for _, e := range r.Dockerfile.Entries {
			texts[e.Instruction.Line] = e.Instruction.Text
		}
	}
	for _, f := range r.Findings {
		hf := htmlFinding{Rule: f.Rule, Severity: f.Severity.String(), Message: f.Message, Layer: f.Layer}
		if f.Path != "" {
			hf.Path = "/" + strings.TrimPrefix(f.Path, "/")
		}
		if f.Line > 0 {
			hf.Line = lineRange(f.Line, f.EndLine)
			hf.Instruction = texts[f.Line]
		}
		page.Findings = append(page.Findings, hf)
	}
	data := imageTreemap(r)
	return writeImagePage(w, page, data)
}

// DiffHTML writes strata diff's page in the same form: both images and
// their layers, the summary, a treemap of the changed paths coloured by
// what happened to them, the groups by top directory and the changes.
func DiffHTML(w io.Writer, d *imagediff.Diff) error {
	page := &htmlImagePage{
		Title:   fmt.Sprintf("strata diff: %s vs %s", d.A.Source, d.B.Source),
		Heading: "A: " + d.A.Source + " → B: " + d.B.Source,
		Summary: d.Summary.Text,
		Stats: []htmlStat{
			{"A size", FormatSize(d.A.Size)}, {"B size", FormatSize(d.B.Size)},
			{"added", fmt.Sprint(d.Summary.Added)}, {"removed", fmt.Sprint(d.Summary.Removed)}, {"changed", fmt.Sprint(d.Summary.Changed)},
		},
		Groups:  d.Groups,
		Notes:   d.Notes,
		Diff:    true,
		MapNote: "Each rectangle is a path that differs, its area the larger of its sizes in A and B. Click a directory to zoom in.",
		Legend:  []htmlLegend{{"added in B", colourAdded}, {"removed from A", colourRemoved}, {"changed", colourChanged}},
	}
	for i, s := range []imagediff.Side{d.A, d.B} {
		for _, l := range s.Layers {
			colour := layerColours[i*6]
			page.Layers = append(page.Layers, htmlImageLayer{
				Side: []string{"A", "B"}[i], Index: fmt.Sprint(l.Index), Size: FormatSize(l.Size), Command: l.CreatedBy, Shared: l.Shared, Colour: colour,
			})
		}
	}
	for i := range d.Files {
		if i == maxHTMLChanges {
			page.More = len(d.Files) - i
			break
		}
		f := &d.Files[i]
		c := htmlChange{Op: f.Op, Path: "/" + f.Path, Delta: imagediff.SignedSize(f.Delta)}
		switch f.Op {
		case imagediff.Added:
			c.Detail = describeState(f.B)
		case imagediff.Removed:
			c.Detail = describeState(f.A)
		default:
			var parts []string
			for _, what := range f.Changed {
				parts = append(parts, describeChange(what, f.A, f.B))
			}
			c.Detail = strings.Join(parts, "; ")
		}
		page.Changes = append(page.Changes, c)
	}
	return writeImagePage(w, page, diffTreemap(d))
}

func writeImagePage(w io.Writer, page *htmlImagePage, data *treemapData) error {
	raw, err := json.Marshal(data) // escapes <, > and &, U+2028 and U+2029: safe inside <script>
	if err != nil {
		return fmt.Errorf("rendering the HTML report: %w", err)
	}
	var pw PageWriter
	writeImageHTML(&pw, page, raw)
	return pw.WritePage(w, "the HTML report")
}

func lineRange(a, b int) string {
	if b > a {
		return fmt.Sprintf("%d-%d", a, b)
	}
	return fmt.Sprint(a)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// imageTreemap turns the final filesystem into the treemap's arrays. A
// directory's colour is the layer that made most of the bytes below it.
func imageTreemap(r *image.Result) *treemapData {
	t := &treemapData{Colors: layerColours}
	for _, l := range r.Layers {
		t.Legend = append(t.Legend, fmt.Sprintf("layer %d", l.Index))
	}
	// stack holds the indexes of the directories above the current path.
	var stack []int
	perLayer := map[int]map[int]int64{} // directory index → layer → bytes
	for i := range r.Files {
		f := &r.Files[i]
		depth := strings.Count(f.Path, "/")
		stack = stack[:min(depth, len(stack))]
		parent := -1
		if depth > 0 && len(stack) > 0 {
			parent = stack[len(stack)-1]
		}
		name := f.Path[strings.LastIndexByte(f.Path, '/')+1:]
		colour := (f.Layer - 1) % len(layerColours)
		t.N = append(t.N, name)
		t.P = append(t.P, parent)
		t.S = append(t.S, f.Size)
		t.C = append(t.C, max(colour, 0))
		dir := 0
		if f.Kind == image.KindDir {
			dir = 1
			stack = append(stack, len(t.N)-1)
		} else if f.Kind == image.KindFile && f.Size > 0 {
			for _, a := range stack {
				m := perLayer[a]
				if m == nil {
					m = map[int]int64{}
					perLayer[a] = m
				}
				m[colour] += f.Size
			}
		}
		t.D = append(t.D, dir)
	}
	for a, m := range perLayer {
		best, bestBytes := 0, int64(-1)
		for c, n := range m {
			if n > bestBytes || (n == bestBytes && c < best) {
				best, bestBytes = c, n
			}
		}
		t.C[a] = best
	}
	return t
}

// diffTreemap lays out the changed paths under their directories; a
// directory's colour is what happened to most of the bytes below it.
func diffTreemap(d *imagediff.Diff) *treemapData {
	t := &treemapData{Colors: []string{colourAdded, colourRemoved, colourChanged, "#9aa3b2"}, Legend: []string{"added", "removed", "changed", ""}}
	index := map[string]int{}
	perOp := map[int]*[3]int64{}
	var ensure func(p string) int
	ensure = func(p string) int {
		if i, ok := index[p]; ok {
			return i
		}
		parent := -1
		name := p
		if k := strings.LastIndexByte(p, '/'); k >= 0 {
			parent = ensure(p[:k])
			name = p[k+1:]
		}
		t.N = append(t.N, name)
		t.P = append(t.P, parent)
		t.S = append(t.S, 0)
		t.C = append(t.C, 3)
		t.D = append(t.D, 1)
		index[p] = len(t.N) - 1
		return len(t.N) - 1
	}
	for i := range d.Files {
		f := &d.Files[i]
		var size int64
		if f.A != nil {
			size = f.A.Size
		}
		if f.B != nil {
			size = max(size, f.B.Size)
		}
		op := map[string]int{imagediff.Added: 0, imagediff.Removed: 1, imagediff.Changed: 2}[f.Op]
		isDir := (f.A == nil || f.A.Kind == image.KindDir) && (f.B == nil || f.B.Kind == image.KindDir)
		k := ensure(f.Path)
		t.C[k] = op
		if !isDir {
			t.D[k] = 0
			t.S[k] = size
		}
		if size == 0 {
			continue
		}
		for p := t.P[k]; p >= 0; p = t.P[p] {
			t.S[p] += size
			m := perOp[p]
			if m == nil {
				m = &[3]int64{}
				perOp[p] = m
			}
			m[op] += size
		}
	}
	for p, m := range perOp {
		best := 0
		for op := 1; op < 3; op++ {
			if m[op] > m[best] {
				best = op
			}
		}
		t.C[p] = best
	}
	return t
}
