package image

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Document is the JSON report: the analysis and the gate from one run.
type Document struct {
	*Result
	Gate      *GateResult     `json:"gate,omitempty"`
	Checklist []ChecklistItem `json:"checklist"`
}

// ChecklistItem is the state of one checklist item the image rules cover.
type ChecklistItem struct {
	Item   string `json:"item"`
	Status string `json:"status"`
}

// Checklist derives the checklist items the rules inform: an item fails
// when a finding carries it, and passes otherwise.
func Checklist(r *Result, rules []Rule) []ChecklistItem {
	failed := map[string]bool{}
	for _, f := range r.Findings {
		if f.Severity != SeverityInfo && f.Severity != SeverityStyle {
			failed[f.Checklist] = true
		}
	}
	seen := map[string]bool{}
	var out []ChecklistItem
	for _, rule := range rules {
		if seen[rule.Checklist] {
			continue
		}
		seen[rule.Checklist] = true
		st := "pass"
		if failed[rule.Checklist] {
			st = "fail"
		}
		out = append(out, ChecklistItem{Item: rule.Checklist, Status: st})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Item < out[j].Item })
	return out
}

// WriteJSON writes the result, gate and checklist as one JSON document.
// Arrays are never null.
func WriteJSON(w io.Writer, r *Result, gate *GateResult, rules []Rule) error {
	res := *r // fill empty arrays on a copy, never on the caller's result
	doc := Document{Result: &res, Gate: gate, Checklist: Checklist(r, rules)}
	if doc.Layers == nil {
		doc.Layers = []Layer{}
	}
	if doc.Timing.Layers == nil {
		doc.Timing.Layers = []LayerTiming{}
	}
	if doc.Dockerfile != nil && doc.Dockerfile.Entries == nil {
		m := *doc.Dockerfile
		m.Entries = []MappedStep{}
		doc.Dockerfile = &m
	}
	if doc.Gate != nil && doc.Gate.Checks == nil {
		g := *doc.Gate
		g.Checks = []GateCheck{}
		doc.Gate = &g
	}
	if doc.Findings == nil {
		doc.Findings = []Finding{}
	}
	if doc.Notes == nil {
		doc.Notes = []string{}
	}
	if doc.History == nil {
		doc.History = []HistoryEntry{}
	}
	if doc.Waste.Pairs == nil {
		doc.Waste.Pairs = []WastePair{}
	}
	if doc.Waste.Items == nil {
		doc.Waste.Items = []WasteItem{}
	}
	if doc.Waste.Duplicates == nil {
		doc.Waste.Duplicates = []DuplicateGroup{}
	}
	if doc.Largest.Files == nil {
		doc.Largest.Files = []PathSize{}
	}
	if doc.Largest.Dirs == nil {
		doc.Largest.Dirs = []PathSize{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encoding JSON report: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// TextOptions tune the text report.
type TextOptions struct {
	Color bool
	// Width bounds the command column of the layer table (default 60).
	Width int
}

type paint struct{ on bool }

func (p paint) c(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (p paint) bold(s string) string  { return p.c("1", s) }
func (p paint) dim(s string) string   { return p.c("2", s) }
func (p paint) red(s string) string   { return p.c("1;31", s) }
func (p paint) green(s string) string { return p.c("32", s) }
func (p paint) yellow(s string) string {
	return p.c("1;33", s)
}

func (p paint) severity(s string) string {
	switch s {
	case SeverityError:
		return p.red(s)
	case SeverityWarning:
		return p.yellow(s)
	case SeverityInfo:
		return p.c("1;36", s)
	}
	return p.c("35", s)
}

// WriteText writes the human-readable report: the image, the layer table,
// the waste breakdown, the largest paths, the findings and the gate.
func WriteText(w io.Writer, r *Result, gate *GateResult, opts TextOptions) error {
	p := paint{on: opts.Color}
	width := opts.Width
	if width <= 0 {
		width = 60
	}
	var b bytes.Buffer
	writeHeader(&b, p, r)
	writeLayers(&b, p, r, width)
	writeWaste(&b, p, r)
	writeLargest(&b, p, r)
	writeFindings(&b, p, r)
	if len(r.Notes) > 0 {
		b.WriteString("\n" + p.bold("Notes") + "\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "  %s\n", n)
		}
	}
	if gate != nil {
		writeGate(&b, p, gate)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func writeHeader(b *bytes.Buffer, p paint, r *Result) {
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
		p.bold("Size      "), FormatSize(t.Size), FormatSize(t.CompressedSize), plural(t.Layers, "layer"), base,
		plural(t.Files, "file"), plural(t.Dirs, "directory"))
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
		p.bold("Efficiency"), eff, FormatSize(t.VisibleBytes), FormatSize(t.StoredBytes),
		FormatSize(r.Waste.Total), r.Waste.Percent, FormatSize(r.Waste.UserTotal), r.Waste.UserPercent, FormatSize(t.UserStoredBytes))
	user := im.User
	if user == "" {
		user = "root (none set)"
	}
	fmt.Fprintf(b, "%s %s\n", p.bold("User      "), user)
}

func grouped(n int) string {
	s := strconv.Itoa(n)
	var out []string
	for len(s) > 3 {
		out = append([]string{s[len(s)-3:]}, out...)
		s = s[:len(s)-3]
	}
	return strings.Join(append([]string{s}, out...), ",")
}

// plural writes a count with its noun: "1 layer", "5,891 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return grouped(n) + " " + strings.TrimSuffix(noun, "y") + "ies"
	}
	return grouped(n) + " " + noun + "s"
}

func dash(n int64) string {
	if n == 0 {
		return "-"
	}
	return FormatSize(n)
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func writeLayers(b *bytes.Buffer, p paint, r *Result, width int) {
	b.WriteString("\n" + p.bold("Layers") + "\n")
	fmt.Fprintf(b, "  %3s  %9s  %9s  %9s  %9s  %9s  %7s  %s\n", "#", "SIZE", "STORED", "ADDED", "HIDES", "WASTED", "FILES", "COMMAND")
	// Walk the history so empty steps show where they happened.
	shown := make([]bool, len(r.Layers))
	row := func(l Layer) {
		shown[l.Index-1] = true
		cmd := cut(ShortCommand(l.CreatedBy, 0), width)
		switch {
		case cmd == "" && l.Comment != "":
			cmd = p.dim("(" + cut(l.Comment, width-2) + ")")
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
		wasted := dash(l.WastedBytes)
		if l.WastedBytes > 0 {
			wasted = p.yellow(wasted)
		}
		fmt.Fprintf(b, "  %3d  %9s  %9s  %9s  %9s  %9s  %7s  %s%s\n", l.Index, FormatSize(l.Size), FormatSize(l.CompressedSize),
			dash(l.AddedBytes), dash(l.OverwrittenBytes+l.DeletedBytes), wasted, grouped(l.Files), cmd, tags)
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
		fmt.Fprintf(b, "  %3s  %9s  %9s  %9s  %9s  %9s  %7s  %s%s\n", "", "", "", "", "", "", "", p.dim(cut(ShortCommand(h.CreatedBy, 0), width)), tags)
	}
	for i, l := range r.Layers {
		if !shown[i] {
			row(l)
		}
	}
}

func writeWaste(b *bytes.Buffer, p paint, r *Result) {
	wst := r.Waste
	b.WriteString("\n" + p.bold("Waste") + "\n")
	fmt.Fprintf(b, "  %-12s %9s  bytes a later layer replaced", "overwritten", FormatSize(wst.Overwritten))
	if wst.CopyUp > 0 {
		fmt.Fprintf(b, " (of which %s only changed mode, owner or time)", FormatSize(wst.CopyUp))
	}
	b.WriteString("\n")
	fmt.Fprintf(b, "  %-12s %9s  bytes a later layer deleted\n", "deleted", FormatSize(wst.Deleted))
	fmt.Fprintf(b, "  %-12s %9s  extra copies of identical files\n", "duplicate", FormatSize(wst.Duplicate))
	fmt.Fprintf(b, "  %-12s %9s  %.1f%% of the bytes stored\n", "total", FormatSize(wst.Total), wst.Percent)
	if wst.Ignored > 0 {
		fmt.Fprintf(b, "  %-12s %9s  hidden bytes under --ignore patterns, left out\n", "ignored", FormatSize(wst.Ignored))
	}
	pairs := append([]WastePair(nil), wst.Pairs...)
	sort.SliceStable(pairs, func(i, j int) bool {
		return pairs[i].Overwritten+pairs[i].Deleted > pairs[j].Overwritten+pairs[j].Deleted
	})
	for i, pr := range pairs {
		if i == 10 {
			fmt.Fprintf(b, "  … %d more pairs of layers in the JSON report\n", len(pairs)-10)
			break
		}
		if pr.Overwritten+pr.Deleted == 0 {
			continue
		}
		var parts []string
		if pr.Deleted > 0 {
			parts = append(parts, "deleted "+FormatSize(pr.Deleted))
		}
		if over := pr.Overwritten - pr.CopyUp; over > 0 {
			parts = append(parts, "replaced "+FormatSize(over))
		}
		if pr.CopyUp > 0 {
			parts = append(parts, "copied up "+FormatSize(pr.CopyUp))
		}
		fmt.Fprintf(b, "  layer %d %s created by layer %d\n", pr.HiddenBy, strings.Join(parts, ", "), pr.CreatedBy)
	}
	if len(wst.Items) > 0 {
		b.WriteString("  largest:\n")
		for i, it := range wst.Items {
			if i == 5 {
				break
			}
			fmt.Fprintf(b, "    %9s  /%s  (%s by layer %d, created by layer %d)\n", FormatSize(it.Bytes), it.Path, it.Kind, it.HiddenBy, it.CreatedBy)
		}
	}
	for i, g := range wst.Duplicates {
		if i == 5 {
			break
		}
		fmt.Fprintf(b, "    %9s  %d copies of %s: /%s\n", FormatSize(g.Wasted), len(g.Paths), FormatSize(g.Size), strings.Join(g.Paths, ", /"))
	}
}

func writeLargest(b *bytes.Buffer, p paint, r *Result) {
	if len(r.Largest.Files) == 0 && len(r.Largest.Dirs) == 0 {
		return
	}
	b.WriteString("\n" + p.bold("Largest paths") + "\n")
	for _, f := range r.Largest.Files {
		fmt.Fprintf(b, "  %9s  /%s  (layer %d)\n", FormatSize(f.Bytes), f.Path, f.Layer)
	}
	if len(r.Largest.Dirs) > 0 {
		b.WriteString("  directories:\n")
	}
	for _, d := range r.Largest.Dirs {
		fmt.Fprintf(b, "  %9s  /%s/  (%s files)\n", FormatSize(d.Bytes), d.Path, grouped(d.Files))
	}
}

func writeFindings(b *bytes.Buffer, p paint, r *Result) {
	b.WriteString("\n" + p.bold("Findings") + "\n")
	if len(r.Findings) == 0 {
		b.WriteString("  none\n")
		return
	}
	fs := append([]Finding(nil), r.Findings...)
	sort.SliceStable(fs, func(i, j int) bool {
		if a, c := severityRank(fs[i].Severity), severityRank(fs[j].Severity); a != c {
			return a > c
		}
		return fs[i].Rule < fs[j].Rule
	})
	counts := map[string]int{}
	for _, f := range fs {
		counts[f.Severity]++
		where := ""
		if f.Layer > 0 {
			where = fmt.Sprintf(" layer %d", f.Layer)
		}
		if f.Line > 0 {
			where += fmt.Sprintf(" %s:%d", r.dockerfilePath(), f.Line)
		}
		fmt.Fprintf(b, "  %s %-7s %s%s\n      %s\n", p.bold(f.Rule), p.severity(f.Severity), f.Name, p.dim(where), f.Message)
	}
	var parts []string
	for _, s := range []string{SeverityError, SeverityWarning, SeverityInfo, SeverityStyle} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	fmt.Fprintf(b, "  %d findings: %s\n", len(fs), strings.Join(parts, ", "))
}

func (r *Result) dockerfilePath() string {
	if r.Dockerfile != nil {
		return r.Dockerfile.Path
	}
	return "Dockerfile"
}

func writeGate(b *bytes.Buffer, p paint, g *GateResult) {
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
