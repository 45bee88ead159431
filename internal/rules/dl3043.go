package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3043 reports ONBUILD triggers that BuildKit does not allow.
var DL3043 = &Rule{
	ID:       "DL3043",
	Name:     "onbuild-forbidden-trigger",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "ONBUILD, FROM or MAINTAINER triggered from within an ONBUILD instruction.",
		Why: "ONBUILD records an instruction to run when another build uses this image as its " +
			"base. A trigger cannot start a new stage (FROM), cannot chain another ONBUILD, and " +
			"MAINTAINER is not accepted there either: the downstream build fails.",
		Bad:  "ONBUILD FROM alpine:3.20",
		Good: "ONBUILD COPY . /app/",
	},
	Check: func(p *Pass) error {
		for _, st := range stagesWithPrelude(p) {
			for _, in := range st.Instructions {
				if in.Trigger == nil {
					continue
				}
				switch in.Trigger.Cmd {
				case "onbuild", "from", "maintainer":
					p.Report(in, "%s cannot be used as an %s trigger", in.Trigger.Keyword, in.Keyword)
				}
			}
		}
		return nil
	},
}
