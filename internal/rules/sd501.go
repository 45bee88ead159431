package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/intent"
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
			"Bitnami images, grafana/k6, prom/* and the other bases that set a USER of their own. " +
			"Only application images are checked: a Dockerfile without CMD or ENTRYPOINT, with " +
			"ONBUILD triggers, or whose command is a shell or a REPL builds a base image whose " +
			"children choose the user; toolchains, devcontainers, GitHub container actions, " +
			"artifact exports, Wasm modules, templates and Windows images are skipped too. The " +
			"rule follows ENTRYPOINT and CMD through init wrappers, sh -c and the entrypoint " +
			"scripts of the build context, and stays quiet when the container drops root itself " +
			"(gosu, su-exec, su, runuser, setpriv, chroot --userspec, a daemon's -u flag, the " +
			"base image's own step-down entrypoint) or runs a master that does (nginx, httpd, " +
			"php-fpm, postfix, sshd, supervisord), or needs root to work (raw sockets, firewall, " +
			"kernel modules, the Docker socket, an entrypoint that mounts or chowns). When the " +
			"entrypoint script is not in the build context, or the container runs a test " +
			"suite, it only says so, as info. A USER that is root is DL3002's finding. An unsafe " +
			"fix creates a user (UID 10001) and switches to it before CMD (a numeric USER on " +
			"scratch and distroless); it is not offered for generated official images.",
		Bad:  "FROM python:3.12-slim\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]",
		Good: "FROM python:3.12-slim\nRUN useradd --system --uid 10001 app\nCOPY app.py /app/\nUSER 10001\nCMD [\"python\", \"/app/app.py\"]",
	},
	Check: func(p *Pass) error {
		st := p.File.FinalStage()
		if st == nil || isWindowsStage(p.File, st) || finalUser(p.File) != nil {
			return nil
		}
		ins := finalInstructions(p.File)
		if firstRunSpec(ins) == nil {
			return nil
		}
		root := finalChain(p.File)[0]
		if root.Base.Unresolved || nonRootBase(root.Base) {
			return nil
		}
		img := imageOf(p)
		if img.Is(notAnApp) {
			return nil
		}
		prog := img.Program
		if _, drops := prog.DropsPrivileges(); drops {
			return nil
		}
		if img.Entrypoint == nil && stepDownBase(root.Base) {
			return nil // the base's own ENTRYPOINT steps down
		}
		last := lastRunSpec(ins)
		if how := intent.ConditionalStepDown(root.Base); how != "" && img.Entrypoint == nil {
			p.ReportUncertain(last, "the final image never sets USER and keeps the ENTRYPOINT of %s: %s; set them, or add an unprivileged USER", root.Base.Raw, how)
			return nil
		}
		if intent.NeedsRoot(prog.Name) || len(prog.RootOps) > 0 || mountsDockerSocket(ins) {
			return nil // it needs root (or capabilities) to do its job
		}
		if prog.Unknown != "" {
			p.ReportUncertain(last, "the final image never sets USER and runs %s, which is not in the build context: if it drops root itself (gosu, su-exec, setpriv), ignore this; otherwise add an unprivileged USER", prog.Unknown)
			return nil
		}
		if img.Is(intent.RoleTestRunner) {
			p.ReportUncertain(last, "the final image never sets USER, so the tests run as root (%s): usually harmless for a test run; add an unprivileged USER if the suite does not need root", img.Reason(intent.RoleTestRunner))
			return nil
		}
		advice := "create an unprivileged user (useradd/adduser) and add USER before it"
		switch {
		case root.Base.Scratch:
			advice = "add a numeric USER (e.g. USER 10001:10001) before it; it needs no /etc/passwd"
		case isDistroless(root.Base):
			advice = "use the :nonroot tag of the image or add USER 65532:65532 before it"
		}
		var fix *edit.Fix
		if !img.Generated {
			fix = nonRootFix(p, p.File.FinalStage())
		}
		p.ReportFix(last, fix, "the final image never sets USER, so %s runs as root: %s", programOrSpec(img, last), advice)
		return nil
	},
}

// programOrSpec names what runs as root: the program when known, else
// the CMD or ENTRYPOINT.
func programOrSpec(img *intent.Image, last *dockerfile.Instruction) string {
	if img.Program.Name != "" && len(img.Program.Name) < 40 {
		return programDesc(img)
	}
	return strings.ToUpper(last.Cmd)
}

// stepDownBase reports whether an external base's own ENTRYPOINT starts
// as root and steps down (table T5b in internal/intent).
func stepDownBase(ref dockerfile.ImageRef) bool {
	return intent.StepDownBase(ref)
}

// mountsDockerSocket reports whether the image declares the Docker socket
// as a volume: a tool that talks to the host's Docker needs root (or the
// docker group's GID, which the image cannot know).
func mountsDockerSocket(ins []*dockerfile.Instruction) bool {
	for _, in := range ins {
		if in.Cmd == "volume" && strings.Contains(strings.Join(in.Args, " "), "docker.sock") {
			return true
		}
	}
	return false
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
	if intent.NonRootBase(ref) {
		return true
	}
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
