package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/buildplan"
	"github.com/stratatools/strata/internal/cachepredict"
	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/steptimes"
	"github.com/stratatools/strata/internal/vocab"
)

// recordStepTimes keeps the cold build's step times for strata cache.
func recordStepTimes(dfPath string, res *build.Result, m *measure.Measurement) {
	rec := &steptimes.Record{Dockerfile: dfPath, Recorded: time.Now().UTC(), Steps: map[string]float64{}}
	for _, st := range res.StepList {
		if k := buildplan.StepKey(st.Name); k != "" && st.Duration > 0 {
			rec.Steps[k] = st.Duration.Seconds()
		}
	}
	if len(rec.Steps) == 0 {
		return
	}
	if err := steptimes.Save(rec); err != nil {
		m.Notes = append(m.Notes, fmt.Sprintf("step times not recorded: %v", err))
	}
}

// stringArgs drops the build args that take their value from the
// builder's environment.
func stringArgs(args map[string]*string) map[string]string {
	out := map[string]string{}
	for k, v := range args {
		if v != nil {
			out[k] = *v
		}
	}
	return out
}

// explainWarm predicts the warm rebuild (touched changed in the copy of
// the context) and checks the prediction against what BuildKit did: the
// claim of layers.cache_dependencies always, each step's cause with
// explain.
func explainWarm(ctx context.Context, ctxDir, dfPath, touched string, res *build.Result, opts Options, m *measure.Measurement) error {
	var changed []string
	if touched != "" {
		changed = []string{touched}
	}
	rep, err := cachepredict.Run(ctx, cachepredict.Input{Dir: ctxDir, Dockerfile: dfPath, Changed: changed,
		BuildArgs: stringArgs(opts.BuildArgs), PreviousBuildArgs: stringArgs(opts.BuildArgs), Target: opts.Target})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		m.Notes = append(m.Notes, fmt.Sprintf("no explanation of the warm rebuild: %v", err))
		return nil
	}
	byName := map[string]*cachepredict.StepResult{}
	for i := range rep.Steps {
		byName[rep.Steps[i].Name] = &rep.Steps[i]
	}
	rebuilt, install := 0, ""
	for _, st := range res.StepList {
		p := byName[st.Name]
		e := measure.StepExplanation{Step: st.Name, Cached: st.Cached, Predicted: "unknown"}
		if p != nil {
			e.Line, e.Predicted = p.Line, p.Status
			switch {
			case p.Status == cachepredict.Conditional && st.Cached:
				e.Agrees, e.Why = true, "the stage it copies from rebuilt, but the copied files came out byte-identical"
			case p.Status == cachepredict.Conditional:
				e.Agrees, e.Why = true, firstCause(rep.Prediction, p)+": the copied files changed"
			default:
				e.Agrees = (p.Status == cachepredict.Cached) == st.Cached
				e.Why = firstCause(rep.Prediction, p)
			}
		}
		if !st.Cached {
			rebuilt++
			if install == "" && p != nil && p.Installs() {
				install = fmt.Sprintf("`%s` (line %d)", clip(p.Instruction, 50), p.Line)
			}
		}
		if opts.Explain {
			m.Explain = append(m.Explain, e)
		}
	}
	if touched == "" || len(res.StepList) == 0 {
		return nil
	}
	c := measure.Claim{Item: vocab.LayersCacheDeps, Status: vocab.Pass}
	c.Text = fmt.Sprintf("a change to %s rebuilds %d of %d steps", touched, rebuilt, len(res.StepList))
	if install != "" {
		c.Status = vocab.Fail
		c.Text += ", " + install + " included: copy the dependency manifests and install before copying the source"
	} else {
		c.Text += ", no dependency install among them"
	}
	m.Claims = append(m.Claims, c)
	return nil
}

// firstCause is a step's first cause; a step rebuilt because the one
// before it was says which.
func firstCause(p *cachepredict.Prediction, s *cachepredict.StepResult) string {
	if len(s.Causes) == 0 {
		return ""
	}
	c := s.Causes[0]
	if c.Kind == cachepredict.CauseParent && c.From >= 0 {
		root := s.Root
		if root >= 0 && root != c.From {
			return fmt.Sprintf("the step before it (line %d) rebuilt, following line %d", p.Steps[c.From].Line, p.Steps[root].Line)
		}
		return fmt.Sprintf("the step before it (line %d) rebuilt", p.Steps[c.From].Line)
	}
	return c.Text
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}
