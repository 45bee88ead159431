package check

import (
	"strings"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/vocab"
)

// configRules read the image configuration.
func configRules() []Rule {
	return []Rule{
		{
			ID: "SI040", Name: "no-healthcheck", Severity: vocab.Info,
			Category: vocab.Performance, Checklist: vocab.PerformanceHealthcheck,
			Doc: Doc{
				Summary: "The image has no HEALTHCHECK",
				Why: "Without a HEALTHCHECK the engine only knows whether the process runs, not whether it " +
					"serves; orchestrators then route traffic to hung containers.",
			},
			Check: checkHealthcheck,
		},
	}
}

func checkHealthcheck(r *image.Result) []Hit {
	if r.Config == nil {
		return nil
	}
	hc := r.Config.Config.Healthcheck
	if hc != nil && len(hc.Test) > 0 && !strings.EqualFold(hc.Test[0], "NONE") {
		return nil
	}
	msg := "no HEALTHCHECK is defined"
	if hc != nil && len(hc.Test) > 0 {
		msg = "the HEALTHCHECK is disabled (NONE)"
	}
	return []Hit{{Message: msg + "; add one that probes the service", Anchor: "HEALTHCHECK"}}
}
