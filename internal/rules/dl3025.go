package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3025 reports shell-form CMD and ENTRYPOINT.
var DL3025 = &Rule{
	ID:        "DL3025",
	Twins:     []string{"JSONArgsRecommended"},
	Name:      "json-args-recommended",
	Severity:  vocab.Warning,
	Category:  vocab.Performance,
	Checklist: vocab.PerformanceExecForm,
	Doc: Doc{
		Summary: "Use the JSON (exec) form for CMD and ENTRYPOINT.",
		Why: "In shell form the command runs as a child of /bin/sh -c, which becomes PID 1 and " +
			"does not forward SIGTERM: `docker stop` waits for its timeout and then kills the " +
			"app, which never gets to shut down cleanly. The fix rewrites a command of plain words " +
			"(no variables, quotes or operators) into the exec form; it is safe for a CMD on scratch or " +
			"a distribution image with no ENTRYPOINT, and unsafe (--unsafe) otherwise, because an " +
			"ENTRYPOINT then receives different arguments. As in hadolint, a SHELL instruction " +
			"does not silence it; BuildKit's JSONArgsRecommended, its twin, is silent after one.",
		Bad:  "CMD python3 app.py",
		Good: "CMD [\"python3\", \"app.py\"]",
	},
	Check: func(p *Pass) error {
		for _, st := range p.File.Stages {
			for _, in := range st.Instructions {
				if (in.Cmd == "cmd" || in.Cmd == "entrypoint") && !in.JSON && len(in.Args) > 0 {
					fix := execFormFix(p.File, in)
					if fix == nil {
						fix = edit.Decline("the command holds quotes, variables, operators or several lines, whose meaning the exec form would change")
					}
					p.ReportFix(in, fix, "%s in shell form: signals will not reach the process; use the JSON form", in.Keyword)
				}
			}
		}
		return nil
	},
}

// execFormFix rewrites a single-line shell-form command made only of
// plain words into the exec form: the same program with the same
// arguments, without the shell in between. For a CMD in a stage chain
// that starts from scratch or a distribution image and sets no
// ENTRYPOINT, that is the same container, and the fix is safe. Otherwise
// it is unsafe: an ENTRYPOINT gets the CMD as arguments (["app"] instead
// of ["/bin/sh", "-c", "app"]), and an exec-form ENTRYPOINT, unlike the
// shell form, receives the CMD and docker run's arguments.
func execFormFix(f *dockerfile.File, in *dockerfile.Instruction) *edit.Fix {
	if in.StartLine != in.EndLine || len(in.Args) != 1 {
		return nil
	}
	words := strings.Fields(in.Args[0])
	if len(words) == 0 {
		return nil
	}
	for _, w := range words {
		for i := 0; i < len(w); i++ {
			c := w[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_./:=@%+,-", c) >= 0) {
				return nil
			}
		}
	}
	kw, ok := keywordOffset(f, in, in)
	if !ok {
		return nil
	}
	pos := kw + len(in.Keyword)
	end := f.LineEnd(in.StartLine)
	text := string(f.Source[pos:end])
	i := strings.Index(text, words[0])
	if i < 0 {
		return nil
	}
	return &edit.Fix{
		Message: "use the exec form: the command then runs without a shell and receives signals",
		Unsafe:  !execFormEquivalent(in),
		Edits:   []edit.TextEdit{{Pos: pos + i, End: end, NewText: `["` + strings.Join(words, `", "`) + `"]`}},
	}
}

// execFormEquivalent reports whether the exec form of a plain-word
// command starts the same container as its shell form (see execFormFix).
func execFormEquivalent(in *dockerfile.Instruction) bool {
	if in.Cmd != "cmd" || in.Stage == nil {
		return false
	}
	root := rootStage(in.Stage)
	if root == nil || !plainBase(root.Base) {
		return false
	}
	for s := in.Stage; s != nil; s = s.BaseStage {
		for _, i := range s.Instructions {
			if i.Cmd == "entrypoint" {
				return false
			}
		}
		if s == root {
			break
		}
	}
	return true
}
