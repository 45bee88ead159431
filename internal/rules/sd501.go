package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// SD501 reports an application image that never switches to a non-root
// user.
var SD501 = &Rule{
	ID:        "SD501",
	Name:      "no-non-root-user",
	Severity:  vocab.Warning,
	Category:  vocab.Security,
	Checklist: vocab.SecurityNonRoot,
	Doc: Doc{
		Summary: "The final image never sets a non-root USER: the application runs as root.",
		Why: "Without USER the container's process runs as root (UID 0). Any bug that lets an " +
			"attacker run code gives them root inside the container, write access to everything " +
			"in the image, and the best starting point for a container escape. Create an " +
			"unprivileged user and switch to it before CMD. The USER in force is the final " +
			"stage's last USER or, failing that, the last USER of the stages it is built FROM; " +
			"builder stages are ignored. Images that already run unprivileged are accepted: " +
			"distroless :nonroot tags, Chainguard images (not -dev), nginx-unprivileged and " +
			"Bitnami images. Only images that say what they run (CMD or ENTRYPOINT in the final " +
			"stage chain) are checked: a Dockerfile without one builds a base image, whose " +
			"children choose the user. A USER that is root is DL3002's finding. Windows images " +
			"are skipped. An unsafe fix creates a user (UID 10001) and switches to it before " +
			"CMD (a numeric USER on scratch and distroless).",
		Bad:  "FROM python:3.12-slim\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]",
		Good: "FROM python:3.12-slim\nRUN useradd --system --uid 10001 app\nCOPY app.py /app/\nUSER 10001\nCMD [\"python\", \"/app/app.py\"]",
	},
	Check: func(p *Pass) error {
		st := p.File.FinalStage()
		if st == nil || isWindowsStage(p.File, st) || finalUser(p.File) != nil {
			return nil
		}
		ins := finalInstructions(p.File)
		run := firstRunSpec(ins)
		if run == nil {
			return nil
		}
		root := finalChain(p.File)[0]
		if root.Base.Unresolved || nonRootBase(root.Base) {
			return nil
		}
		advice := "create an unprivileged user (useradd/adduser) and add USER before it"
		switch {
		case root.Base.Scratch:
			advice = "add a numeric USER (e.g. USER 10001:10001) before it; it needs no /etc/passwd"
		case isDistroless(root.Base):
			advice = "use the :nonroot tag of the image or add USER 65532:65532 before it"
		}
		fix := nonRootFix(p, p.File.FinalStage())
		last := lastRunSpec(ins)
		p.ReportFix(last, fix, "the final image never sets USER, so %s runs as root: %s", strings.ToUpper(last.Cmd), advice)
		return nil
	},
}

func lastRunSpec(ins []*dockerfile.Instruction) *dockerfile.Instruction {
	var last *dockerfile.Instruction
	for _, in := range ins {
		if in.Cmd == "cmd" || in.Cmd == "entrypoint" {
			last = in
		}
	}
	return last
}

// nonRootBase reports whether an image runs as a non-root user by
// default.
func nonRootBase(ref dockerfile.ImageRef) bool {
	r := strings.ToLower(ref.Registry + "/" + ref.Repository)
	tag := strings.ToLower(ref.Tag)
	switch {
	case strings.Contains(r, "distroless") && strings.Contains(tag, "nonroot"):
		return true
	case strings.HasPrefix(r, "cgr.dev/chainguard/") && !strings.Contains(tag, "dev"):
		return true
	case strings.Contains(r, "nginx-unprivileged"), strings.Contains(r, "rootless"), strings.Contains(tag, "rootless"):
		return true
	case strings.HasPrefix(ref.Repository, "bitnami/"):
		return true
	}
	return false
}
