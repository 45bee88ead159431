package rules

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// SD503 suggests a distroless runtime for a final image whose program
// needs no shell or package manager.
var SD503 = &Rule{
	ID:        "SD503",
	Name:      "shell-not-needed",
	Severity:  vocab.Info,
	Category:  vocab.Security,
	Checklist: vocab.SecurityMinimalRuntime,
	Doc: Doc{
		Summary: "The final image keeps a shell and a package manager its program does not need; consider a distroless base.",
		Why: "A shell, a package manager and coreutils in the running image are what an " +
			"attacker uses after getting in (download a tool, install it, explore), and they are " +
			"CVEs to patch. When the program starts from an exec-form CMD/ENTRYPOINT it needs none " +
			"of them. The rule is deliberately narrow and informational: it fires only when the " +
			"final image is built on a distribution (alpine, debian, ubuntu, their slim " +
			"variants) and starts, in exec form, a binary copied from a build stage (COPY " +
			"--from). gcr.io/distroless/static-debian12 (for a static binary) or " +
			"distroless/base-debian12 (for one linked against glibc) hold CA certificates, " +
			"tzdata and a nonroot user, and nothing else. Interpreted apps (Python, Node.js, " +
			"Java) are left alone: distroless interpreters come in fixed versions that often " +
			"differ from the app's. It stays quiet when a shell-form HEALTHCHECK needs a shell.",
		Bad:  "FROM alpine:3.20\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]",
		Good: "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]",
	},
	Check: func(p *Pass) error {
		chain := finalChain(p.File)
		if len(chain) == 0 || isWindowsStage(p.File, p.File.FinalStage()) {
			return nil
		}
		root := chain[0]
		if root.Base.Unresolved || root.BaseStage != nil {
			return nil
		}
		ins := finalInstructions(p.File)
		argv, spec := execArgv(ins)
		if len(argv) == 0 {
			return nil
		}
		if hc := lastOf(ins, "healthcheck"); hc != nil && !(len(hc.Args) > 0 && strings.EqualFold(hc.Args[0], "none")) {
			if !hc.JSON {
				return nil
			}
		}
		repo := officialRepo(root.Base)
		prog := argv[0]
		switch repo {
		case "alpine", "debian", "ubuntu", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "oraclelinux":
			if from := copiedFromStage(ins, prog); from != "" {
				p.Report(root.From, "the final image runs %s, a binary copied from stage %s, from an exec-form %s on %s, which keeps a shell and a package manager it does not need: consider gcr.io/distroless/static-debian12 (a static binary) or gcr.io/distroless/base-debian12",
					prog, from, strings.ToUpper(spec.Cmd), root.Base.Raw)
			}
		}
		return nil
	},
}

// execArgv returns the argv the image starts with when it is given in
// exec form: the ENTRYPOINT, or the CMD when there is no ENTRYPOINT.
func execArgv(ins []*dockerfile.Instruction) ([]string, *dockerfile.Instruction) {
	if ep := lastOf(ins, "entrypoint"); ep != nil {
		if !ep.JSON || len(ep.Args) == 0 {
			return nil, nil
		}
		return ep.Args, ep
	}
	if cmd := lastOf(ins, "cmd"); cmd != nil && cmd.JSON && len(cmd.Args) > 0 {
		return cmd.Args, cmd
	}
	return nil, nil
}

// copiedFromStage returns the stage (or image) a COPY --from copied the
// program file prog from, or "".
func copiedFromStage(ins []*dockerfile.Instruction, prog string) string {
	if !path.IsAbs(prog) {
		return ""
	}
	for _, in := range ins {
		if in.Cmd != "copy" {
			continue
		}
		from, ok := in.Flag("from")
		if !ok {
			continue
		}
		for _, d := range copyDests(in) {
			if d == path.Clean(prog) {
				return from
			}
		}
	}
	return ""
}
