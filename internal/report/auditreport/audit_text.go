package auditreport

import (
	"fmt"
	"io"
	"strings"

	"github.com/stratatools/strata/internal/audit"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/vocab"
)

// Options tune the audit's text and HTML reports.
type Options struct {
	report.Options
	// Top bounds the images and layers listed (0: all).
	Top int
}

// Text writes an audit for the terminal: the totals, the images
// ranked (size, wasted bytes, findings by severity, the gate's verdict),
// the layers most images share, and what could not be read.
func Text(w io.Writer, r *audit.Report, opts Options) error {
	ew := &errWriter{w: w}
	c := report.Palette{On: opts.Color}
	s := r.Stats
	target := r.Registry
	if r.Prefix != "" {
		target += "/" + r.Prefix
	}
	if r.Shard != "" {
		target += " (shard " + r.Shard + ")"
	}
	ew.printf("%s %s: %d images in %d repositories (%d tags), %d distinct layers, %.1f s\n",
		c.Bold("strata audit"), target, s.Images, s.Repositories, s.Tags, s.DistinctLayers, r.Seconds)
	ew.printf("  layers read %d (%s), from the cache %d; images from the cache %d; retries %d\n",
		s.LayersRead, vocab.FormatSize(s.BytesRead), s.LayersFromCache, s.ImagesFromCache, s.Retries)
	if s.UnsharedBytes > 0 {
		ew.printf("  the registry stores %s for these images; %s without shared layers\n", vocab.FormatSize(s.StoredBytes), vocab.FormatSize(s.UnsharedBytes))
	}

	images := limit(len(r.Images), opts.Top)
	if images > 0 {
		ew.printf("\n%s (by %s%s)\n", c.Bold("Images"), r.RankedBy, more(len(r.Images), images))
		rows := [][]string{{"#", "image", "platform", "size", "wasted", "waste %", "findings E/W/I", "gate"}}
		for i, img := range r.Images[:images] {
			n := img.Count()
			gate := ""
			if img.Gate != nil {
				gate = "pass"
				if !img.Gate.Pass {
					gate = c.Red("FAIL")
				}
			}
			rows = append(rows, []string{
				fmt.Sprint(i + 1), img.Ref(), img.Platform, vocab.FormatSize(img.Size), vocab.FormatSize(img.WastedBytes),
				fmt.Sprintf("%.1f", img.WastedPercent), fmt.Sprintf("%d/%d/%d", n[0], n[1], n[2]), gate,
			})
		}
		table(ew, rows)
	}

	layers := limit(len(r.Layers), opts.Top)
	if layers > 0 {
		ew.printf("\n%s%s\n", c.Bold("Shared layers"), more(len(r.Layers), layers))
		rows := [][]string{{"images", "repos", "size", "compressed", "layer", "created by"}}
		for _, l := range r.Layers[:layers] {
			created := l.CreatedBy
			if l.Base {
				created = "(base) " + created
			}
			rows = append(rows, []string{
				fmt.Sprint(l.Images), fmt.Sprint(l.Repositories), vocab.FormatSize(l.Size), vocab.FormatSize(l.CompressedSize),
				shortDigest(l.Digest), report.ClipText(created, 60),
			})
		}
		table(ew, rows)
	}

	if s.GateFailed > 0 {
		ew.printf("\n%s %d of %d images fail the gate\n", c.Red("Gate:"), s.GateFailed, s.Images)
		for _, img := range r.Images {
			if img.Gate == nil || img.Gate.Pass {
				continue
			}
			var why []string
			for _, ch := range img.Gate.Checks {
				if !ch.Pass {
					why = append(why, ch.Message)
				}
			}
			ew.printf("  %s: %s\n", img.Ref(), strings.Join(why, "; "))
		}
	}
	if len(r.Failures) > 0 {
		ew.printf("\n%s %d could not be read\n", c.Red("Failures:"), len(r.Failures))
		for _, f := range r.Failures {
			ew.printf("  %s\n", f)
		}
	}
	return ew.err
}

// JSON writes the audit as indented JSON.
func JSON(w io.Writer, r *audit.Report) error { return report.WriteJSON(w, r, "JSON") }

// Lint turns the audit's findings into a lint report with one
// "file" per image, named docker://REGISTRY/REPOSITORY@DIGEST, for SARIF
// and the other lint formats.
func Lint(r *audit.Report, rules check.Set, version string) *report.Report {
	rep := &report.Report{Tool: "strata", Version: version}
	for _, img := range r.Images {
		file := "docker://" + r.Registry + "/" + img.Pinned()
		fr := report.FileResult{File: file, Findings: []report.Finding{}}
		for _, f := range img.Findings {
			msg := f.Message
			if f.Layer > 0 {
				msg = fmt.Sprintf("%s [image layer %d]", msg, f.Layer)
			}
			fr.Findings = append(fr.Findings, report.Finding{
				File: file, Rule: f.Rule, Aliases: []string{}, Name: f.Name, Severity: f.Severity,
				Category: f.Category, Line: 1, EndLine: 1, Message: msg + " (" + img.Ref() + ")",
			})
		}
		report.SortFindings(fr.Findings)
		rep.Files = append(rep.Files, fr)
	}
	for _, rule := range rules {
		rep.Rules = append(rep.Rules, report.RuleInfo{
			ID: rule.ID, Aliases: []string{}, Name: rule.Name, Severity: rule.Severity, Category: rule.Category,
			Checklist: rule.Checklist, Summary: rule.Doc.Summary, Help: rule.Doc.Why,
		})
	}
	return rep
}

func limit(n, top int) int {
	if top > 0 && n > top {
		return top
	}
	return n
}

func more(total, shown int) string {
	if total > shown {
		return fmt.Sprintf(", top %d of %d", shown, total)
	}
	return ""
}

func shortDigest(d string) string {
	d = strings.TrimPrefix(d, "sha256:")
	if len(d) > 12 {
		d = d[:12]
	}
	return d
}

// table writes rows as left-aligned columns, the first row a header.
func table(ew *errWriter, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], visibleLen(cell))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		b.WriteString(" ")
		for i, cell := range row {
			b.WriteString(" ")
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-visibleLen(cell)))
			}
		}
		ew.printf("%s\n", strings.TrimRight(b.String(), " "))
	}
}

// visibleLen is the length of s on a terminal: runes, without ANSI
// colour sequences.
func visibleLen(s string) int {
	n, esc := 0, false
	for _, r := range s {
		switch {
		case esc:
			esc = r != 'm'
		case r == '\x1b':
			esc = true
		default:
			n++
		}
	}
	return n
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
