package rules

import "github.com/stratatools/strata/internal/shell"

// The apt-get install commands of a RUN, for the apt rules (DL3008,
// DL3014, DL3015).

// aptGetInstalls returns the "apt-get install" invocations of a RUN.
// Like hadolint, the apt-get rules judge apt-get only: apt itself is
// DL3027's business.
func aptGetInstalls(r shRun) []*shellOp {
	var out []*shellOp
	for _, op := range r.ops(shell.ActionInstall, shell.AptGet) {
		if op.Verb == "install" {
			out = append(out, op)
		}
	}
	return out
}
