package plan

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/shell"
)

// Python applications: what pip installs (into /usr/local, or a
// virtualenv) and the virtualenvs the build makes go to the runtime
// stage with the application.

// isPythonCommand reports whether the program base runs Python code: the
// interpreter or a Python application server.
func isPythonCommand(base string) bool {
	return base == "python" || strings.HasPrefix(base, "python3") || strings.HasPrefix(base, "python2") ||
		base == "gunicorn" || base == "uwsgi" || base == "uvicorn" || base == "flask"
}

// pipInstallDir returns where a pip install puts packages, when that is
// outside the application: the virtualenv whose pip runs, or
// /usr/local. It returns "" for other commands and for installs into
// the user's home or a chosen target.
func pipInstallDir(op *shell.PackageOp) string {
	if op.Manager != shell.Pip || op.Action != shell.ActionInstall || op.HasFlag("--user", "-t", "--target", "--prefix", "--root") {
		return ""
	}
	if venv := venvOf(op); venv != "" {
		return venv
	}
	return "/usr/local"
}

// venvOf returns the virtualenv a pip command installs into when it is
// run as VENV/bin/pip, or "".
func venvOf(op *shell.PackageOp) string {
	prog := op.Command.Name
	if i := strings.Index(prog, "/bin/"); i > 0 && path.IsAbs(prog) {
		return prog[:i]
	}
	return ""
}

// isVenvCreate reports whether c makes a virtualenv (python -m venv DIR,
// python -m virtualenv DIR); DIR is its last argument.
func isVenvCreate(c *shell.Command) bool {
	return (c.Is("python3", "python") || strings.HasPrefix(c.Base(), "python3")) && len(c.Args) >= 3 && c.Args[0] == "-m" && (c.Args[1] == "venv" || c.Args[1] == "virtualenv")
}
