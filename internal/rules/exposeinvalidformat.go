package rules

import (
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// ExposeInvalidFormat reports EXPOSE ports written with an IP address or
// a host port.
var ExposeInvalidFormat = &Rule{
	ID:       "ExposeInvalidFormat",
	Name:     "expose-invalid-format",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "EXPOSE should list container ports only, without an IP address or host port.",
		Why: "EXPOSE documents the ports the container listens on; it cannot publish them. An " +
			"IP address or host port in it is ignored (`docker run -p` decides those), so the " +
			"line promises a mapping that does not happen. BuildKit will make it an error.",
		Bad:  "EXPOSE 127.0.0.1:8080:80",
		Good: "EXPOSE 80",
	},
	Check: func(p *Pass) error {
		bkExposePorts(p, func(in *dockerfile.Instruction, ports []bkExposed) {
			for _, e := range ports {
				if e.ip != "" || e.host != "" {
					p.Report(in, "EXPOSE instruction should not define an IP address or host-port mapping, found '%s'", e.expanded)
				}
			}
		})
		return nil
	},
}
