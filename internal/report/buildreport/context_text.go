package buildreport

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/stratatools/strata/internal/buildcontext"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/vocab"
)

// barWidth is the width of the bars of the top folders; maxTopFolders
// how many are shown.
const (
	barWidth      = 20
	maxTopFolders = 15
)

// ContextText writes strata context's report: what BuildKit sends, where
// the bytes are (a bar per top folder), junk, secrets, what each
// instruction reads, what none reads, and the suggested ignore file as a
// diff.
func ContextText(w io.Writer, r *buildcontext.Report, opts report.Options) error {
	p := report.Palette{On: opts.Color}
	var b bytes.Buffer
	ignore := "no .dockerignore"
	if r.IgnoreFile != "" {
		ignore = fmt.Sprintf("%s, %d %s", r.IgnoreFile, len(r.IgnorePatterns), plural(len(r.IgnorePatterns), "pattern", "patterns"))
	}
	fmt.Fprintf(&b, "%s %s (Dockerfile %s; %s)\n\n", p.Bold("strata context:"), r.Dir, r.Dockerfile, ignore)

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	how := "no instruction reads the build context: BuildKit sends nothing"
	switch {
	case len(r.WholeContext) > 0:
		how = takers(r.WholeContext) + " " + plural(len(r.WholeContext), "reads", "read") + " the whole context"
	case r.FollowPaths != nil:
		how = "only what the instructions name: " + clipList(r.FollowPaths, 6)
	}
	fmt.Fprintf(tw, "  %s\t%s\t%s\n", p.Bold("BuildKit sends"), totals(r.Sent), how)
	if r.Sent.Transfer > 0 {
		fmt.Fprintf(tw, "  \t%s bytes transferred\tcontent and the transfer's metadata, as BuildKit counts them\n", vocab.FormatCount(int(r.Sent.Transfer)))
	}
	fmt.Fprintf(tw, "  %s\t%s\t%s\n", p.Bold("passes the ignore file"), totals(r.Passed), "what the classic builder sends")
	if err := tw.Flush(); err != nil {
		return err
	}
	if g := r.Gate; g != nil {
		if g.Exceeded {
			fmt.Fprintf(&b, "\n  %s BuildKit sends %s, more than --max-context-size %s\n", p.Red("gate failed:"), vocab.FormatSize(g.Sent), vocab.FormatSize(g.Max))
		} else {
			fmt.Fprintf(&b, "\n  gate passed: BuildKit sends %s, at most --max-context-size %s\n", vocab.FormatSize(g.Sent), vocab.FormatSize(g.Max))
		}
	}

	if len(r.TopFolders) > 0 {
		fmt.Fprintf(&b, "\n%s\n", p.Bold("Top folders"))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		shown := r.TopFolders
		if len(shown) > maxTopFolders {
			shown = shown[:maxTopFolders]
		}
		for _, u := range shown {
			share := 0.0
			if r.Passed.Bytes > 0 {
				share = float64(u.Bytes) / float64(r.Passed.Bytes)
			}
			sent := ""
			if u.SentBytes != u.Bytes {
				sent = "sent " + vocab.FormatSize(u.SentBytes)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%3.0f%%\t%s\t%s\n", folder(u.Path), vocab.FormatSize(u.Bytes), sizeBar(share), share*100,
				fmt.Sprintf("%s %s", vocab.FormatCount(u.Files), plural(u.Files, "file", "files")), sent)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if n := len(r.TopFolders) - len(shown); n > 0 {
			var rest int64
			for _, u := range r.TopFolders[len(shown):] {
				rest += u.Bytes
			}
			fmt.Fprintf(&b, "  and %d more, %s\n", n, vocab.FormatSize(rest))
		}
	}
	writeUsages(&b, p, "Largest directories", r.LargestDirs, true)
	writeUsages(&b, p, "Largest files", r.LargestFiles, false)

	if len(r.Junk) > 0 {
		fmt.Fprintf(&b, "\n%s\n", p.Bold("Junk"))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, j := range r.Junk {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", j.Path, vocab.FormatSize(j.Bytes), j.Category, sentBy(p, j.Sent, j.TakenBy))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(r.Secrets) > 0 {
		fmt.Fprintf(&b, "\n%s\n", p.Bold("Secrets (key and credential files, as SD502 judges them; contents not shown)"))
		for _, s := range r.Secrets {
			line := fmt.Sprintf("  %s  %s", s.Path, sentBy(p, s.Sent, s.TakenBy))
			if s.Sent && len(s.TakenBy) > 0 {
				line += ": anyone who pulls the image can read it"
			}
			b.WriteString(line + "\n")
		}
	}
	if len(r.Reads) > 0 {
		fmt.Fprintf(&b, "\n%s\n", p.Bold("What the instructions read"))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, u := range r.Reads {
			what := u.Path
			if what == "" {
				what = "(the whole context)"
			}
			if u.Mount {
				what += " (bind mount)"
			}
			size := fmt.Sprintf("%s in %s %s", vocab.FormatSize(u.Bytes), vocab.FormatCount(u.Files), plural(u.Files, "file", "files"))
			if u.FromStage != "" {
				what = u.Path + " of stage " + u.FromStage
				size = "nothing of the context"
			}
			if u.Missing {
				size = p.Red("nothing that is sent: the build fails here")
			}
			fmt.Fprintf(tw, "  line %d\t%s\t%s\t%s\n", u.Line, report.ClipText(u.Instruction, 50), what, size)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if r.Unused.Files > 0 {
		fmt.Fprintf(&b, "\n%s %s in %s %s", p.Bold("Not read by any instruction:"), vocab.FormatSize(r.Unused.Bytes),
			vocab.FormatCount(r.Unused.Files), plural(r.Unused.Files, "file", "files"))
		if n := len(r.UnusedPaths); n > 0 {
			var parts []string
			for _, u := range r.UnusedPaths[:min(n, 5)] {
				parts = append(parts, fmt.Sprintf("%s/ (%s)", u.Path, vocab.FormatSize(u.Bytes)))
			}
			fmt.Fprintf(&b, ", %d %s: %s", n, plural(n, "folder", "folders"), strings.Join(parts, ", "))
			if n > 5 {
				b.WriteString(", ...")
			}
		}
		b.WriteString("\n")
		if len(r.WholeContext) == 0 && r.FollowPaths != nil {
			b.WriteString("  BuildKit does not send it (it asks only for what the instructions name); the classic builder does.\n")
		}
	}
	if len(r.Problems)+len(r.Unreadable) > 0 {
		b.WriteString("\n")
	}
	for _, pr := range r.Problems {
		fmt.Fprintf(&b, "%s %s: %s (left out of the figures)\n", p.Yellow("could not read"), pr.Path, pr.Err)
	}
	for _, u := range r.Unreadable {
		fmt.Fprintf(&b, "%s %s: the build's transfer fails on it\n", p.Red("unreadable:"), u)
	}
	if s := r.Suggestion; s != nil {
		fmt.Fprintf(&b, "\n%s %s: leaves out %s in %s %s", p.Bold("Suggested ignore file"), s.Path, vocab.FormatSize(s.Saves.Bytes),
			vocab.FormatCount(s.Saves.Files), plural(s.Saves.Files, "file", "files"))
		if s.SavesSent.Bytes > 0 {
			fmt.Fprintf(&b, " (%s of what BuildKit sends)", vocab.FormatSize(s.SavesSent.Bytes))
		}
		b.WriteString("; every path an instruction names is still sent\n")
		for _, j := range r.Junk {
			if j.Kept != "" {
				fmt.Fprintf(&b, "  kept %s: %s\n", j.Path, j.Kept)
			}
		}
		b.WriteString(s.Diff)
	}
	_, err := w.Write(report.TrimLineEnds(b.Bytes()))
	return err
}

func totals(t buildcontext.Totals) string {
	return fmt.Sprintf("%s in %s %s", vocab.FormatSize(t.Bytes), vocab.FormatCount(t.Files), plural(t.Files, "file", "files"))
}

func folder(p string) string {
	if strings.HasPrefix(p, "(") {
		return p
	}
	return p + "/"
}

// sizeBar draws share (0..1) as a bar of barWidth cells.
func sizeBar(share float64) string {
	n := int(share*barWidth + 0.5)
	if n == 0 && share > 0 {
		n = 1
	}
	return strings.Repeat("█", n) + strings.Repeat("·", barWidth-n)
}

func writeUsages(b *bytes.Buffer, p report.Palette, title string, us []buildcontext.Usage, dirs bool) {
	if len(us) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s\n", p.Bold(title))
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	for _, u := range us {
		name, count := u.Path, ""
		if dirs {
			name += "/"
			count = fmt.Sprintf("%s %s", vocab.FormatCount(u.Files), plural(u.Files, "file", "files"))
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", name, vocab.FormatSize(u.Bytes), count)
	}
	_ = tw.Flush()
}

// sentBy says whether BuildKit sends a path and which instructions take
// it.
func sentBy(p report.Palette, sent bool, by []buildcontext.Taker) string {
	switch {
	case sent && len(by) > 0:
		return p.Yellow("sent: " + takers(by))
	case sent:
		return p.Yellow("sent")
	}
	return "not sent by BuildKit (no instruction reads it)"
}

func takers(ts []buildcontext.Taker) string {
	var parts []string
	for _, t := range ts {
		parts = append(parts, fmt.Sprintf("%s (line %d)", report.ClipText(t.Instruction, 40), t.Line))
	}
	return strings.Join(parts, ", ")
}

func clipList(ss []string, n int) string {
	if len(ss) <= n {
		return strings.Join(ss, ", ")
	}
	return strings.Join(ss[:n], ", ") + fmt.Sprintf(" and %d more", len(ss)-n)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
