package rules

import (
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3064 reports ARG and ENV names that suggest secrets.
var DL3064 = &Rule{
	ID:        "DL3064",
	Name:      "sensitive-arg-env",
	Severity:  vocab.Warning,
	Category:  vocab.Security,
	Checklist: vocab.SecurityNoSecrets,
	Doc: Doc{
		Summary: "Potentially sensitive data should not be used in ARG or ENV.",
		Why: "ENV values are stored in the image configuration and ARG values used by RUN are " +
			"recorded in the image history: anyone who can pull the image can read them. Pass " +
			"secrets with RUN --mount=type=secret instead. Names such as PASSWORD, *_TOKEN, " +
			"API_KEY or *_SECRET are reported; names that point to a secret (PASSWORD_FILE, " +
			"TOKEN_URL) are not.",
		Bad:  "ARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=$NPM_TOKEN\" > .npmrc && npm ci",
		Good: "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci",
	},
	Check: func(p *Pass) error {
		check := func(in, outer *dockerfile.Instruction) {
			var names []string
			switch in.Cmd {
			case "arg":
				names = in.ArgNames()
			case "env":
				for _, kv := range in.Pairs() {
					if kv[1] != "" {
						names = append(names, kv[0])
					}
				}
			}
			for _, n := range names {
				if sensitiveName(n) {
					p.Report(outer, "%s%s %s looks like a secret: it stays readable in the image; use RUN --mount=type=secret",
						triggerPrefix(in, outer), in.Keyword, n)
				}
			}
		}
		for _, in := range p.File.GlobalArgs {
			check(in, in)
		}
		eachInstruction(p.File, check)
		return nil
	},
}
