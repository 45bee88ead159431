package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3057 reports a final image without a HEALTHCHECK. It is off by
// default, as in hadolint.
var DL3057 = &Rule{
	ID:         "DL3057",
	Name:       "missing-healthcheck",
	Severity:   vocab.Info,
	Category:   vocab.Performance,
	Checklist:  vocab.PerformanceHealthcheck,
	DefaultOff: true,
	Doc: Doc{
		Summary: "HEALTHCHECK instruction missing.",
		Why: "Without a health check, Docker and Compose only know whether the process is alive, " +
			"not whether it serves: a hung server stays \"up\" and receives traffic. Only the " +
			"image the build produces (the final stage, with the stages it is built FROM) is " +
			"checked; build stages need no health check. HEALTHCHECK NONE counts as a decision.",
		Bad:  "FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/",
		Good: "FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\nHEALTHCHECK CMD curl -fsS http://localhost/ || exit 1",
		Deviation: "hadolint reports every stage no HEALTHCHECK covers, build stages and the branch " +
			"stages of a fork included; strata checks the image the build produces (the final " +
			"stage and the stages it is built FROM), where one HEALTHCHECK covers the chain: " +
			"build stages are never run as services.",
	},
	Check: func(p *Pass) error {
		st := p.File.FinalStage()
		if st == nil {
			return nil
		}
		for _, s := range st.Chain() {
			for _, in := range s.Instructions {
				if in.Cmd == "healthcheck" {
					return nil
				}
			}
		}
		p.Report(st.From, "the image has no HEALTHCHECK: add one so that a hung service is detected")
		return nil
	},
}
