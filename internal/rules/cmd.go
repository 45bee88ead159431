package rules

var cmdRules = []*Rule{DL3025}

// DL3025 reports shell-form CMD and ENTRYPOINT.
var DL3025 = &Rule{
	ID:        "DL3025",
	Aliases:   []string{"JSONArgsRecommended"},
	Name:      "json-cmd",
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
					p.Report(in, "%s in shell form: signals will not reach the process; use the JSON form", in.Keyword)
				}
			}
		}
	},
}
