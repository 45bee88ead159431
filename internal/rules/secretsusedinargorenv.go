package rules

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/stratatools/strata/internal/vocab"
)

// SecretsUsedInArgOrEnv reports ARG and ENV names that look like secrets.
var SecretsUsedInArgOrEnv = &Rule{
	ID:        "SecretsUsedInArgOrEnv",
	Name:      "secrets-used-in-arg-or-env",
	Severity:  vocab.Warning,
	Category:  vocab.Security,
	Checklist: vocab.SecurityNoSecrets,
	Doc: Doc{
		Summary: "Secrets should not be passed with ARG or ENV.",
		Why: "ENV values are stored in the image configuration and ARG values in its build " +
			"history, where anyone who can pull the image reads them. Pass secrets with a " +
			"secret mount, which exists only while the RUN that needs it runs. The check " +
			"goes by the name: a key containing the word token, secret, password, passwd, " +
			"pword, key, apikey, auth or credential(s), unless it also contains public, file " +
			"or version. ARGs before the first FROM are not checked (they are not recorded).",
		Bad:  "ARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci",
		Good: "RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\\n    echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc",
	},
	Check: func(p *Pass) error {
		// An inherited ONBUILD trigger is reported at the FROM of the
		// stage that runs it.
		bkEachScope(p, func(s bkStep, _ *bkScope) {
			var keys []string
			switch c := s.in.Typed.(type) {
			case *instructions.ArgCommand:
				for _, a := range c.Args {
					keys = append(keys, a.Key)
				}
			case *instructions.EnvCommand:
				for _, e := range c.Env {
					keys = append(keys, e.Key)
				}
			default:
				return
			}
			for _, k := range keys {
				if bkSecretKeyRe.MatchString(k) && !bkSecretAllowRe.MatchString(k) {
					p.Report(s.at, "Do not use ARG or ENV instructions for sensitive data (%s %q)", strings.ToUpper(s.in.Cmd), k)
				}
			}
		})
		return nil
	},
}
