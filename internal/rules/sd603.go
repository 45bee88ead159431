package rules

import (
	"github.com/stratatools/strata/internal/fix/plan"
	"github.com/stratatools/strata/internal/vocab"
)

// SD603 reports a Flask application served by Flask's development server
// in an image that installs gunicorn.
var SD603 = &Rule{
	ID:       "SD603",
	Name:     "dev-server",
	Severity: vocab.Warning,
	Category: vocab.Performance,
	Doc: Doc{
		Summary: "The image runs a Flask app with Flask's development server although it installs gunicorn.",
		Why: "`python app.py` with `app.run()` starts Werkzeug's development server, which Flask " +
			"documents as not meant for production: it is not built for load, security or " +
			"efficiency, and as PID 1 it does not stop cleanly. The image installs gunicorn, the " +
			"production WSGI server, and never runs it. The rule reads the app file from the " +
			"build context: it reports only a file that makes its Flask app at the top level and " +
			"whose `if __name__ == \"__main__\":` block does nothing but call app.run with host " +
			"0.0.0.0 (and a port, a number or PORT's default), so that gunicorn serves the same " +
			"app on the same port. The unsafe fix runs `gunicorn MODULE:APP` in exec form, with " +
			"--bind for a fixed port, or PORT's default in an ENV when the app read PORT " +
			"(gunicorn binds 0.0.0.0:$PORT). Code the __main__ block would have run besides " +
			"app.run would not run under gunicorn, so such files are not reported.",
		Bad:  "RUN pip install --no-cache-dir flask gunicorn\nCOPY . /app\nWORKDIR /app\nCMD [\"python3\", \"app.py\"]",
		Good: "RUN pip install --no-cache-dir flask gunicorn\nCOPY . /app\nWORKDIR /app\nCMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app:app\"]",
	},
	Check: func(p *Pass) error {
		st := p.File.FinalStage()
		if st == nil || isWindowsStage(p.File, st) {
			return nil
		}
		ds, ok := plan.FlaskDevServer(planInput{p}, st)
		if !ok {
			return nil
		}
		cmd := lastOf(finalInstructions(p.File), "cmd")
		p.ReportFix(cmd, plan.Gunicorn(planInput{p}, st, ds), "%s serves the Flask app %s with Flask's development server (%s.run), which is not meant for production, while the image installs gunicorn: run gunicorn %s:%s",
			ds.Script, ds.App, ds.App, ds.Module, ds.App)
		return nil
	},
}
