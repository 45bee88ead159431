package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

// DL3025 reports shell-form CMD and ENTRYPOINT.
var DL3025 = &Rule{
	ID:        "DL3025",
	Aliases:   []string{"JSONArgsRecommended"},
	Name:      "json-args-recommended",
	Severity:  Warning,
	Category:  Performance,
	Checklist: PerformanceExecForm,
	Doc: Doc{
		Summary: "Use the JSON (exec) form for CMD and ENTRYPOINT.",
		Why: "In shell form the command runs as a child of /bin/sh -c, which becomes PID 1 and " +
			"does not forward SIGTERM: `docker stop` waits for its timeout and then kills the " +
			"app, which never gets to shut down cleanly.",
		Bad:  "CMD python3 app.py",
		Good: "CMD [\"python3\", \"app.py\"]",
	},
	Check: func(p *Pass) {
		for _, st := range p.File.Stages {
			for _, in := range st.Instructions {
				if (in.Cmd == "cmd" || in.Cmd == "entrypoint") && !in.JSON && len(in.Args) > 0 {
					p.ReportFix(in, execFormFix(p.File, in), "%s in shell form: signals will not reach the process; use the JSON form", in.Keyword)
				}
			}
		}
	},
}

// execFormFix rewrites a single-line shell-form command made only of
// plain words into the exec form. It is unsafe: the command no longer
// runs under a shell.
func execFormFix(f *dockerfile.File, in *dockerfile.Instruction) *Fix {
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
	return &Fix{
		Message: "use the exec form: the command then runs without a shell and receives signals",
		Unsafe:  true,
		Edits:   []TextEdit{{Pos: pos + i, End: end, NewText: `["` + strings.Join(words, `", "`) + `"]`}},
	}
}
