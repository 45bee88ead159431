package buildreport

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/stratatools/strata/internal/buildcontext"
	"github.com/stratatools/strata/internal/cachepredict"
	"github.com/stratatools/strata/internal/report"
)

// ContextJSON writes strata context's report as indented JSON.
func ContextJSON(w io.Writer, r *buildcontext.Report) error { return report.WriteJSON(w, r, "JSON") }

// CacheJSON writes strata cache's prediction as indented JSON.
func CacheJSON(w io.Writer, r *cachepredict.Report) error { return report.WriteJSON(w, r, "JSON") }

// CacheText writes strata cache's prediction: every step in Dockerfile
// order, cached or not and the first cause, the sentence of each step
// whose own change rebuilds others, and the summary with what it costs.
func CacheText(w io.Writer, r *cachepredict.Report, opts report.Options) error {
	p := report.Palette{On: opts.Color}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s (context %s)\n", p.Bold("strata cache:"), r.Dockerfile, r.Dir)
	fmt.Fprintf(&b, "  change: %s\n\n", describeCacheChange(r))

	stages := map[string]bool{}
	for _, s := range r.Steps {
		stages[s.Stage] = true
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, s := range r.Steps {
		stage := ""
		if len(stages) > 1 {
			stage = s.Stage + "\t"
		}
		status, why := "", ""
		switch {
		case !s.Counted():
			// A FROM builds nothing; its base image may have changed.
			if len(s.Causes) > 0 {
				why = s.Causes[0].Text
			}
		case s.Status == cachepredict.Cached:
			status = p.Green("cached")
		case s.Status == cachepredict.Conditional:
			status = p.Yellow("rebuilt?")
			why = stepWhy(r.Prediction, s)
		default:
			status = p.Red("rebuilt")
			why = stepWhy(r.Prediction, s)
		}
		fmt.Fprintf(tw, "  %d\t%s%s\t%s\t%s\n", s.Line, stage, report.ClipText(s.Instruction, 56), status, why)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Roots) > 0 {
		fmt.Fprintf(&b, "\n%s\n", p.Bold("Why"))
		for _, root := range r.Roots {
			fmt.Fprintf(&b, "  %s\n", root.Text)
		}
	}
	fmt.Fprintf(&b, "\n%s\n", cacheSummary(r))
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	_, err := w.Write(report.TrimLineEnds(b.Bytes()))
	return err
}

// stepWhy is the first cause of a step, short: a step that rebuilds
// because the one before it does says which.
func stepWhy(pr *cachepredict.Prediction, s cachepredict.StepResult) string {
	if len(s.Causes) == 0 {
		return ""
	}
	c := s.Causes[0]
	if c.Kind == cachepredict.CauseParent && c.From >= 0 {
		return fmt.Sprintf("after line %d", pr.Steps[c.From].Line)
	}
	return c.Text
}

func describeCacheChange(r *cachepredict.Report) string {
	var parts []string
	if len(r.Changed) > 0 {
		parts = append(parts, clipList(r.Changed, 8)+" changed")
	}
	if r.DockerfileChanged {
		parts = append(parts, "the Dockerfile was edited")
	}
	if r.IgnoreChanged {
		parts = append(parts, "the ignore file changed")
	}
	var args []string
	for k, v := range r.BuildArgs {
		if old, ok := r.PreviousBuildArgs[k]; !ok || old != v {
			args = append(args, fmt.Sprintf("--build-arg %s=%s", k, v))
		}
	}
	for k := range r.PreviousBuildArgs {
		if _, ok := r.BuildArgs[k]; !ok {
			args = append(args, fmt.Sprintf("no --build-arg %s", k))
		}
	}
	sort.Strings(args)
	parts = append(parts, args...)
	if len(parts) == 0 {
		return "nothing (the same build again)"
	}
	return strings.Join(parts, "; ")
}

func cacheSummary(r *cachepredict.Report) string {
	cached := r.Total - r.Rebuilt - r.Conditional
	s := fmt.Sprintf("%d of %d %s rebuild, %d from the cache", r.Rebuilt, r.Total, plural(r.Total, "step", "steps"), cached)
	if r.Conditional > 0 {
		s += fmt.Sprintf("; %d more rebuild unless the files they copy from a rebuilt stage come out byte-identical", r.Conditional)
	}
	switch {
	case r.ExpectedSeconds != nil:
		s += fmt.Sprintf("\nexpected rebuild time: %.1f s", *r.ExpectedSeconds)
		if r.ConditionalSeconds != nil {
			s += fmt.Sprintf(" (+%.1f s if the conditional steps rebuild)", *r.ConditionalSeconds)
		}
		if r.Untimed > 0 {
			s += fmt.Sprintf(", plus %d %s never timed", r.Untimed, plural(r.Untimed, "step", "steps"))
		}
		if r.TimesRecorded != nil {
			s += ", from the step times strata measure recorded on " + r.TimesRecorded.Format("2006-01-02 15:04")
		}
	case r.Rebuilt+r.Conditional > 0:
		s += "\nexpected rebuild time: unknown (run strata measure once to record step times)"
	}
	return s
}
