package report

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/gate"
	"github.com/stratatools/strata/internal/vocab"
)

// ImageTextOptions tune the text report of strata image.
type ImageTextOptions struct {
	Color bool
	// Width bounds the command column of the layer table (default 60).
	Width int
}

type imagePaint struct{ on bool }

func (p imagePaint) c(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (p imagePaint) bold(s string) string  { return p.c("1", s) }
func (p imagePaint) dim(s string) string   { return p.c("2", s) }
func (p imagePaint) red(s string) string   { return p.c("1;31", s) }
func (p imagePaint) green(s string) string { return p.c("32", s) }
func (p imagePaint) yellow(s string) string {
	return p.c("1;33", s)
}

func (p imagePaint) severity(sev vocab.Severity) string {
	s := sev.String()
	switch sev {
	case vocab.Error:
		return p.red(s)
	case vocab.Warning:
		return p.yellow(s)
	case vocab.Info:
		return p.c("1;36", s)
	}
	return p.c("35", s)
}

// ImageText writes the human-readable report of strata image: the image,
// the layer table, the waste breakdown, the largest paths, the findings
// and the gate (when g is set).
func ImageText(w io.Writer, r *image.Result, g *gate.Result, opts ImageTextOptions) error {
	p := imagePaint{on: opts.Color}
	width := opts.Width
	if width <= 0 {
		width = 60
	}
	var b bytes.Buffer
	writeImageHeader(&b, p, r)
	writeImageLayers(&b, p, r, width)
	writeImageWaste(&b, p, r)
	writeImageLargest(&b, p, r)
	writeImageFindings(&b, p, r)
	if len(r.Notes) > 0 {
		b.WriteString("\n" + p.bold("Notes") + "\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "  %s\n", n)
		}
	}
	if g != nil {
		writeImageGate(&b, p, g)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func writeImageHeader(b *bytes.Buffer, p imagePaint, r *image.Result) {
	im := r.Image
	name := im.Source
	if len(im.Tags) > 0 && !strings.Contains(name, im.Tags[0]) {
		name += " (" + strings.Join(im.Tags, ", ") + ")"
	}
	fmt.Fprintf(b, "%s %s\n", p.bold("Image     "), name)
	id := im.ID
	if im.Digest != "" {
		id += "  digest " + im.Digest
	}
	fmt.Fprintf(b, "%s %s  %s\n", p.bold("ID        "), id, im.Platform)
	t := r.Totals
	base := "no base image recognized"
	if r.Base.Layers > 0 {
		base = fmt.Sprintf("%d from the base image", r.Base.Layers)
		if r.Base.Ref != "" {
			base += " " + r.Base.Ref
		}
	}
	fmt.Fprintf(b, "%s %s uncompressed, %s as stored; %s (%s); %s, %s\n",
		p.bold("Size      "), vocab.FormatSize(t.Size), vocab.FormatSize(t.CompressedSize), imagePlural(t.Layers, "layer"), base,
		imagePlural(t.Files, "file"), imagePlural(t.Dirs, "directory"))
	eff := fmt.Sprintf("%.1f%%", 100*t.Efficiency)
	switch {
	case t.Efficiency >= 0.95:
		eff = p.green(eff)
	case t.Efficiency < 0.8:
		eff = p.red(eff)
	default:
		eff = p.yellow(eff)
	}
	fmt.Fprintf(b, "%s %s  (%s visible of %s stored)  wasted %s (%.1f%%), by user layers %s (%.1f%% of their %s)\n",
		p.bold("Efficiency"), eff, vocab.FormatSize(t.VisibleBytes), vocab.FormatSize(t.StoredBytes),
		vocab.FormatSize(r.Waste.Total), r.Waste.Percent, vocab.FormatSize(r.Waste.UserTotal), r.Waste.UserPercent, vocab.FormatSize(t.UserStoredBytes))
	user := im.User
	if user == "" {
		user = "root (none set)"
	}
	fmt.Fprintf(b, "%s %s\n", p.bold("User      "), user)
}

// plural writes a count with its noun: "1 layer", "5,891 files".
func imagePlural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return vocab.FormatCount(n) + " " + strings.TrimSuffix(noun, "y") + "ies"
	}
	return vocab.FormatCount(n) + " " + noun + "s"
}

func imageDash(n int64) string {
	if n == 0 {
		return "-"
	}
	return vocab.FormatSize(n)
}

func imageCut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func writeImageLayers(b *bytes.Buffer, p imagePaint, r *image.Result, width int) {
	b.WriteString("\n" + p.bold("Layers") + "\n")
	fmt.Fprintf(b, "  %3s  %9s  %9s  %9s  %9s  %9s  %7s  %s\n", "#", "SIZE", "STORED", "ADDED", "HIDES", "WASTED", "FILES", "COMMAND")
	// Walk the history so empty steps show where they happened.
	shown := make([]bool, len(r.Layers))
	row := func(l image.Layer) {
		shown[l.Index-1] = true
		cmd := imageCut(image.ShortCommand(l.CreatedBy, 0), width)
		switch {
		case cmd == "" && l.Comment != "":
			cmd = p.dim("(" + imageCut(l.Comment, width-2) + ")")
		case cmd == "":
			cmd = p.dim("(no history)")
		}
		tags := ""
		if l.Base {
			tags += p.dim(" [base]")
		}
		if l.Line > 0 {
			tags += p.dim(fmt.Sprintf(" line %d", l.Line))
		}
		wasted := imageDash(l.WastedBytes)
		if l.WastedBytes > 0 {
			wasted = p.yellow(wasted)
		}
		fmt.Fprintf(b, "  %3d  %9s  %9s  %9s  %9s  %9s  %7s  %s%s\n", l.Index, vocab.FormatSize(l.Size), vocab.FormatSize(l.CompressedSize),
			imageDash(l.AddedBytes), imageDash(l.OverwrittenBytes+l.DeletedBytes), wasted, vocab.FormatCount(l.Files), cmd, tags)
	}
	for _, h := range r.History {
		if h.Layer > 0 && h.Layer <= len(r.Layers) {
			row(r.Layers[h.Layer-1])
			continue
		}
		tags := p.dim(" [empty")
		if h.Base {
			tags += p.dim(", base")
		}
		tags += p.dim("]")
		if h.Line > 0 {
			tags += p.dim(fmt.Sprintf(" line %d", h.Line))
		}
		fmt.Fprintf(b, "  %3s  %9s  %9s  %9s  %9s  %9s  %7s  %s%s\n", "", "", "", "", "", "", "", p.dim(imageCut(image.ShortCommand(h.CreatedBy, 0), width)), tags)
	}
	for i, l := range r.Layers {
		if !shown[i] {
			row(l)
		}
	}
}

func writeImageWaste(b *bytes.Buffer, p imagePaint, r *image.Result) {
	wst := r.Waste
	b.WriteString("\n" + p.bold("Waste") + "\n")
	fmt.Fprintf(b, "  %-12s %9s  bytes a later layer replaced", "overwritten", vocab.FormatSize(wst.Overwritten))
	if wst.CopyUp > 0 {
		fmt.Fprintf(b, " (of which %s only changed mode, owner or time)", vocab.FormatSize(wst.CopyUp))
	}
	b.WriteString("\n")
	fmt.Fprintf(b, "  %-12s %9s  bytes a later layer deleted\n", "deleted", vocab.FormatSize(wst.Deleted))
	fmt.Fprintf(b, "  %-12s %9s  extra copies of identical files\n", "duplicate", vocab.FormatSize(wst.Duplicate))
	fmt.Fprintf(b, "  %-12s %9s  %.1f%% of the bytes stored\n", "total", vocab.FormatSize(wst.Total), wst.Percent)
	if wst.Ignored > 0 {
		fmt.Fprintf(b, "  %-12s %9s  hidden bytes under --ignore patterns, left out\n", "ignored", vocab.FormatSize(wst.Ignored))
	}
	top := r.Top
	if top <= 0 {
		top = 10
	}
	var pairs []image.WastePair
	for _, pr := range wst.Pairs {
		if pr.Overwritten+pr.Deleted > 0 {
			pairs = append(pairs, pr)
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool {
		return pairs[i].Overwritten+pairs[i].Deleted > pairs[j].Overwritten+pairs[j].Deleted
	})
	for i, pr := range pairs {
		if i == top {
			fmt.Fprintf(b, "  and %d more pairs of layers (--top)\n", len(pairs)-top)
			break
		}
		var parts []string
		if pr.Deleted > 0 {
			parts = append(parts, "deleted "+vocab.FormatSize(pr.Deleted))
		}
		if over := pr.Overwritten - pr.CopyUp; over > 0 {
			parts = append(parts, "replaced "+vocab.FormatSize(over))
		}
		if pr.CopyUp > 0 {
			parts = append(parts, "copied up "+vocab.FormatSize(pr.CopyUp))
		}
		fmt.Fprintf(b, "  layer %d %s created by layer %d\n", pr.HiddenBy, strings.Join(parts, ", "), pr.CreatedBy)
	}
	if len(wst.Items) > 0 {
		b.WriteString("  largest:\n")
		for i, it := range wst.Items {
			if i == top {
				fmt.Fprintf(b, "    and %d more\n", len(wst.Items)-top)
				break
			}
			fmt.Fprintf(b, "    %9s  /%s  (%s by layer %d, created by layer %d)\n", vocab.FormatSize(it.Bytes), it.Path, it.Kind, it.HiddenBy, it.CreatedBy)
		}
	}
	for i, g := range wst.Duplicates {
		if i == top {
			fmt.Fprintf(b, "    and %d more groups of identical files\n", len(wst.Duplicates)-top)
			break
		}
		fmt.Fprintf(b, "    %9s  %s copies of %s: %s\n", vocab.FormatSize(g.Wasted), vocab.FormatCount(duplicateCount(g)), vocab.FormatSize(g.Size), listPaths(g.Paths, duplicateCount(g), top))
	}
}

// duplicateCount is a group's number of copies (Count, or the paths of a
// result made before it was set).
func duplicateCount(g image.DuplicateGroup) int {
	return max(g.Count, len(g.Paths))
}

// listPaths writes at most top of paths, of total in all, with "and N
// more" for the rest.
func listPaths(paths []string, total, top int) string {
	var b strings.Builder
	for i, p := range paths {
		if i == top {
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("/" + p)
	}
	if shown := min(len(paths), top); total > shown {
		fmt.Fprintf(&b, " and %s more", vocab.FormatCount(total-shown))
	}
	return b.String()
}

func writeImageLargest(b *bytes.Buffer, p imagePaint, r *image.Result) {
	if len(r.Largest.Files) == 0 && len(r.Largest.Dirs) == 0 {
		return
	}
	b.WriteString("\n" + p.bold("Largest paths") + "\n")
	for _, f := range r.Largest.Files {
		fmt.Fprintf(b, "  %9s  /%s  (layer %d)\n", vocab.FormatSize(f.Bytes), f.Path, f.Layer)
	}
	if len(r.Largest.Dirs) > 0 {
		b.WriteString("  directories:\n")
	}
	for _, d := range r.Largest.Dirs {
		fmt.Fprintf(b, "  %9s  /%s/  (%s files)\n", vocab.FormatSize(d.Bytes), d.Path, vocab.FormatCount(d.Files))
	}
}

func writeImageFindings(b *bytes.Buffer, p imagePaint, r *image.Result) {
	b.WriteString("\n" + p.bold("Findings") + "\n")
	if len(r.Findings) == 0 {
		b.WriteString("  none\n")
		return
	}
	fs := append([]image.Finding(nil), r.Findings...)
	sort.SliceStable(fs, func(i, j int) bool {
		if a, c := fs[i].Severity, fs[j].Severity; a != c {
			return a > c
		}
		return fs[i].Rule < fs[j].Rule
	})
	counts := map[vocab.Severity]int{}
	for _, f := range fs {
		counts[f.Severity]++
		where := ""
		if f.Layer > 0 {
			where = fmt.Sprintf(" layer %d", f.Layer)
		}
		if f.Line > 0 {
			where += fmt.Sprintf(" %s:%d", imageDockerfilePath(r), f.Line)
		}
		fmt.Fprintf(b, "  %s %-7s %s%s\n      %s\n", p.bold(f.Rule), p.severity(f.Severity), f.Name, p.dim(where), f.Message)
	}
	var parts []string
	for _, s := range []vocab.Severity{vocab.Error, vocab.Warning, vocab.Info, vocab.Style} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	fmt.Fprintf(b, "  %d findings: %s\n", len(fs), strings.Join(parts, ", "))
}

func imageDockerfilePath(r *image.Result) string {
	if r.Dockerfile != nil {
		return r.Dockerfile.Path
	}
	return "Dockerfile"
}

func writeImageGate(b *bytes.Buffer, p imagePaint, g *gate.Result) {
	b.WriteString("\n" + p.bold("Gate") + "\n")
	if len(g.Checks) == 0 {
		b.WriteString("  no thresholds set\n")
	}
	for _, c := range g.Checks {
		st := p.green("PASS")
		if !c.Pass {
			st = p.red("FAIL")
		}
		fmt.Fprintf(b, "  %s  %-24s %s\n", st, c.Name, c.Message)
	}
	if g.Pass {
		fmt.Fprintf(b, "  result: %s\n", p.green("PASS"))
	} else {
		fmt.Fprintf(b, "  result: %s\n", p.red("FAIL"))
	}
}
