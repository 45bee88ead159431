package cachepredict

import (
	"github.com/stratatools/strata/internal/buildplan"
	"github.com/stratatools/strata/internal/shell"
)

// installs reports whether a RUN step installs or downloads packages
// (apt-get install, pip install, npm ci, go mod download, ...): the step
// a rebuild most often pays for.
func installs(s *buildplan.Step) bool {
	if s == nil || s.Kind != buildplan.KindRun || s.Instruction == nil {
		return false
	}
	for _, sc := range s.Instruction.Scripts() {
		script, err := shell.Parse(sc.Text)
		if err != nil {
			continue
		}
		for _, op := range script.PackageOps() {
			if op.Action == shell.ActionInstall || op.Action == shell.ActionDownload {
				return true
			}
		}
	}
	return false
}

// Installs reports whether the step of a prediction installs or
// downloads packages.
func (r *StepResult) Installs() bool { return installs(r.step) }
