package plan

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/shell"
)

// A Flask application served by Flask's built-in development server
// (app.run() under `if __name__ == "__main__":`, started by `python
// app.py`) in an image that installs gunicorn: the production server is
// there and unused.

// DevServer is what FlaskDevServer found.
type DevServer struct {
	// Script is the Python file the command runs, as written, and
	// Module:App the WSGI application gunicorn loads.
	Script, Module, App string
	// Port is the port app.run listens on: a number, or the default of
	// the PORT environment variable (PortEnv).
	Port    string
	PortEnv bool
}

// flaskAppRe finds `app = Flask(__name__)` at the top level of a module.
var flaskAppRe = lazyre.New(`(?m)^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:flask\.)?Flask\(\s*__name__`)

// runArgRe finds keyword arguments of app.run: host="0.0.0.0", port=8000.
var runArgRe = lazyre.New(`\b(host|port)\s*=\s*([^,()]+(?:\([^()]*(?:\([^()]*\))?[^()]*\))?)`)

// portEnvRe matches a port read from PORT with a numeric default:
// int(os.environ.get("PORT", "8000")), os.getenv('PORT', 8000).
var portEnvRe = lazyre.New(`^(?:int\()?\s*os\.(?:environ\.get|getenv)\(\s*["']PORT["']\s*,\s*["']?(\d+)["']?\s*\)\s*\)?$`)

// FlaskDevServer reports whether the final stage st runs a Flask
// application with the development server while gunicorn is installed:
// the command is `python[3] FILE.py`, FILE.py is copied from the build
// context (and readable there), it makes its app at the top level and
// its `__main__` block only calls app.run with host 0.0.0.0 and a port
// that is a number or PORT's default. The port must be one the image
// EXPOSEs or the one the app reads from PORT.
func FlaskDevServer(src Input, st *dockerfile.Stage) (DevServer, bool) {
	p := newPass(src)
	if st == nil || st != p.File.FinalStage() {
		return DevServer{}, false
	}
	entry := lastOf(st, "entrypoint")
	cmd := lastOf(st, "cmd")
	if entry != nil || cmd == nil {
		return DevServer{}, false
	}
	argv, ok := simpleArgv(cmd)
	if !ok || len(argv) != 2 || path.Base(argv[0]) != "python" && path.Base(argv[0]) != "python3" || !strings.HasSuffix(argv[1], ".py") {
		return DevServer{}, false
	}
	if !gunicornInstalled(p, st) {
		return DevServer{}, false
	}
	wd := cmd.Workdir()
	abs := dockerfile.ResolvePath(wd, argv[1])
	rel := contextPathOf(st, cmd, abs)
	r, canRead := p.Context.(contextReader)
	if rel == "" || !canRead {
		return DevServer{}, false
	}
	data, err := r.ReadFile(rel, 1<<20)
	if err != nil {
		return DevServer{}, false
	}
	ds, ok := parseFlaskMain(string(data))
	if !ok || path.Dir(abs) != path.Clean(wd) {
		return DevServer{}, false
	}
	ds.Script = argv[1]
	ds.Module = strings.TrimSuffix(path.Base(abs), ".py")
	return ds, true
}

// parseFlaskMain reads a module's Flask app and its __main__ block.
func parseFlaskMain(src string) (DevServer, bool) {
	m := flaskAppRe.FindStringSubmatch(src)
	if m == nil {
		return DevServer{}, false
	}
	app := m[1]
	lines := strings.Split(src, "\n")
	start := -1
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "\t") && (t == `if __name__ == "__main__":` || t == `if __name__ == '__main__':`) {
			start = i
		}
	}
	if start < 0 {
		return DevServer{}, false
	}
	// The block: indented lines up to the end or the next top-level line.
	var body []string
	for _, l := range lines[start+1:] {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		if !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "\t") {
			break
		}
		body = append(body, strings.TrimSpace(l))
	}
	stmt := strings.Join(body, " ")
	vars := map[string]string{}
	// Simple assignments before the call: port = int(os.environ.get(...)).
	for strings.Contains(stmt, "=") && !strings.HasPrefix(stmt, app+".run(") {
		name, rest, ok := strings.Cut(stmt, "=")
		name = strings.TrimSpace(name)
		if !ok || strings.ContainsAny(name, " ()[].") {
			return DevServer{}, false
		}
		rest = strings.TrimSpace(rest)
		i := strings.Index(rest, " "+app+".run(")
		if i < 0 {
			return DevServer{}, false
		}
		vars[name] = strings.TrimSpace(rest[:i])
		stmt = strings.TrimSpace(rest[i:])
	}
	if !strings.HasPrefix(stmt, app+".run(") || !strings.HasSuffix(stmt, ")") {
		return DevServer{}, false
	}
	args := stmt[len(app+".run(") : len(stmt)-1]
	ds := DevServer{App: app, Port: "5000"}
	host := ""
	for _, a := range runArgRe.FindAllStringSubmatch(args, -1) {
		v := strings.TrimSpace(a[2])
		if x, ok := vars[v]; ok {
			v = x
		}
		switch a[1] {
		case "host":
			host = strings.Trim(v, `"'`)
		case "port":
			if n, err := strconv.Atoi(strings.Trim(v, `"'`)); err == nil {
				ds.Port = strconv.Itoa(n)
			} else if m := portEnvRe.FindStringSubmatch(v); m != nil {
				ds.Port, ds.PortEnv = m[1], true
			} else {
				return DevServer{}, false
			}
		}
	}
	// Only keyword arguments the server has too (host, port, debug).
	rest := runArgRe.Regexp().ReplaceAllString(args, "")
	rest = strings.NewReplacer("debug=True", "", "debug=False", "", ",", "", " ", "").Replace(rest)
	if host != "0.0.0.0" || rest != "" {
		return DevServer{}, false
	}
	return ds, true
}

// gunicornInstalled reports whether a RUN of st installs gunicorn: pip
// install gunicorn, or the distribution's gunicorn package.
func gunicornInstalled(p *pass, st *dockerfile.Stage) bool {
	for _, s := range st.Chain() {
		for _, in := range s.Instructions {
			if in.Cmd != "run" {
				continue
			}
			for _, op := range packageOps(p, in) {
				if op.Action != shell.ActionInstall {
					continue
				}
				for _, n := range op.PackageNames() {
					if n == "gunicorn" || n == "python3-gunicorn" || n == "gunicorn3" {
						return true
					}
				}
			}
		}
	}
	return false
}

// contextPathOf returns the context-relative path of the file the image
// has at abs, when a COPY of st before in brought it from the build
// context ("" when it cannot be told, or a later COPY may replace it).
func contextPathOf(st *dockerfile.Stage, in *dockerfile.Instruction, abs string) string {
	found := ""
	for _, c := range st.Instructions {
		if c == in {
			break
		}
		if c.Cmd != "copy" && c.Cmd != "add" {
			continue
		}
		if _, from := c.Flag("from"); from {
			if d := copyDest(c); d == "" || d == abs || strings.HasPrefix(abs, d+"/") {
				found = ""
			}
			continue
		}
		if !copiesFromContext(c) {
			continue
		}
		dest := copyDest(c)
		if rel, ok := under(dest, abs); ok && copiesWholeContext(c) {
			found = rel
			continue
		}
		for _, s := range c.Args[:len(c.Args)-1] {
			s = path.Clean(dockerfile.TrimQuotes(s))
			if path.Base(s) == path.Base(abs) && (abs == path.Join(dest, path.Base(s)) || abs == dest) {
				found = s
			}
		}
	}
	return found
}

// Gunicorn is the fix of a Flask development server (see
// FlaskDevServer): the CMD becomes gunicorn serving the same app on the
// same port, in exec form. When the app reads its port from PORT,
// gunicorn does the same (it binds 0.0.0.0:$PORT when PORT is set), and
// an ENV sets PORT's default unless the file sets it already.
func Gunicorn(src Input, st *dockerfile.Stage, ds DevServer) *edit.Fix {
	p := newPass(src)
	f := p.File
	cmd := lastOf(st, "cmd")
	if cmd == nil {
		return nil
	}
	argv := []string{"gunicorn", "--bind", "0.0.0.0:" + ds.Port, ds.Module + ":" + ds.App}
	env := ""
	if ds.PortEnv {
		argv = []string{"gunicorn", ds.Module + ":" + ds.App}
		if !setsEnv(st, "PORT") {
			env = edit.Keyword(cmd, "env") + " PORT=" + ds.Port + f.Newline()
		}
	}
	pos, end := edit.Bare(f, cmd)
	text := env + edit.Keyword(cmd, "cmd") + " " + edit.ExecForm(argv)
	if end > pos && f.Source[end-1] == '\n' {
		text += f.Newline()
	}
	what := fmt.Sprintf("on port %s", ds.Port)
	if ds.PortEnv {
		what = fmt.Sprintf("on $PORT (default %s), as the app did", ds.Port)
	}
	return &edit.Fix{
		Message: fmt.Sprintf("run the app with gunicorn, which the image installs, instead of Flask's development server: %s:%s %s, in exec form", ds.Module, ds.App, what),
		Unsafe:  true,
		Edits:   []edit.TextEdit{{Pos: pos, End: end, NewText: text}},
	}
}

// setsEnv reports whether the stage chain of st sets the variable name
// with ENV.
func setsEnv(st *dockerfile.Stage, name string) bool {
	for _, s := range st.Chain() {
		for _, in := range s.Instructions {
			if in.Cmd == "env" {
				for _, kv := range in.Pairs() {
					if kv[0] == name {
						return true
					}
				}
			}
		}
	}
	return false
}
