package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/intent"
	"github.com/stratatools/strata/internal/shell"
)

// The image's intent: what the final image is for and what its container
// runs (internal/intent), computed once per file and shared by the SD
// rules that judge an application's run time (a user, a health check, an
// init, a base, its tools).

var intentKey = NewKey[*intent.Image]("image intent")

// imageOf returns the intent of the file's final image.
func imageOf(p *Pass) *intent.Image {
	return Memo(p, intentKey, func() *intent.Image {
		dir := ""
		if p.Context.Known() {
			dir = p.Context.Dir
		}
		return intent.Analyze(intent.Input{File: p.File, ContextDir: dir, Shell: func(in *dockerfile.Instruction) []*shell.Script {
			var out []*shell.Script
			for _, s := range p.Shell(in) {
				out = append(out, s.Script)
			}
			return out
		}, Compose: p.compose})
	})
}

// notAnApp are the roles of images that are not applications a user runs
// as a service: their children, their developers or their tools decide
// how they run.
const notAnApp = intent.RoleBase | intent.RoleToolchain | intent.RoleDevcontainer | intent.RoleCIAction |
	intent.RoleArtifact | intent.RoleWasm | intent.RoleTemplate | intent.RoleInteractive | intent.RoleWindows

// programDesc names the program for messages ("redis-server (through
// docker-entrypoint.sh)").
func programDesc(img *intent.Image) string {
	p := img.Program
	name := p.Name
	if name == "" {
		name = "the program"
	}
	if len(p.Scripts) > 0 && p.Scripts[0].Path != "" {
		return name + " (through " + baseNameAny(p.Scripts[0].Path) + ")"
	}
	return name
}

// hasArg reports whether args hold one of the words.
func hasArg(args []string, words ...string) bool {
	for _, a := range args {
		for _, w := range words {
			if strings.EqualFold(a, w) {
				return true
			}
		}
	}
	return false
}
