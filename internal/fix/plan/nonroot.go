package plan

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// NonRoot makes the image st produces (the final stage) run as an
// unprivileged user. The user is, in order of preference, the non-root
// user a USER of the stage chain already named, a user its RUNs create,
// the user it gives its files to (chown, COPY --chown), the user the
// base image ships for the purpose (node, app on .NET 8+, nonroot on
// distroless), or a new user app (UID 10001) with a home directory:
// `useradd --create-home` on Debian, Ubuntu and RHEL bases, BusyBox
// `adduser -D` on Alpine and BusyBox. On bases without user tools
// (scratch, distroless, ubi-micro) it sets a numeric USER and adds no
// RUN.
//
// What the application writes stays writable: the VOLUME directories
// and the directories the chain creates for data, logs or state (or
// names in ENV and in the command) are given to the user, as is the
// WORKDIR the command runs in (the directory itself, so that the
// application can create files there; what the build copied into it
// stays root's and read-only). The RUN and the USER go after the
// stage's last RUN, COPY, ADD and WORKDIR, before the trailing metadata
// (EXPOSE, VOLUME, ENV, CMD ...): every build step still runs as root,
// as before.
//
// It returns nil when st already ends as a non-root user and when the
// rewrite cannot be sure to keep the image working:
//
//   - a base whose user tools are unknown;
//   - an EXPOSEd port below 1024, which an unprivileged process cannot
//     bind everywhere (ASP.NET Core images before .NET 8 listen on 80);
//   - a shell script run in /, which could not write its working
//     directory;
//   - what the program needs installed in root's home (playwright's
//     browsers, pip --user);
//   - a VOLUME on an image that serves nothing: a host directory the
//     tool works in, which a fixed UID could not write;
//   - a stateful server (minio, redis-server, ...) whose data directory
//     no VOLUME names;
//   - ONBUILD triggers, which would run as the user in the child build;
//   - HOME set to /root, or directories to hand over on a base where no
//     RUN can.
//
// The caller makes sure st is a Linux stage (the commands are POSIX) and
// that the image does not need root to start. The fix is unsafe: a path
// the program writes that none of the above names stays root's.
func NonRoot(src Input, st *dockerfile.Stage) *edit.Fix {
	p := newPass(src)
	f := p.File
	if st == nil || st != f.FinalStage() || endsNonRoot(st) {
		return nil
	}
	chain := st.Chain()
	for _, s := range chain {
		for _, in := range s.Instructions {
			if in.Cmd == "onbuild" {
				return edit.Decline("ONBUILD triggers would run as the user in the images built from this one")
			}
		}
	}
	switch {
	case privilegedPort(chain):
		return edit.Decline("the image exposes a port below 1024, which an unprivileged process cannot bind everywhere")
	case aspnetPort80(chain):
		return edit.Decline("ASP.NET Core images before .NET 8 listen on port 80")
	case scriptAtRoot(chain):
		return edit.Decline("a shell script runs in /, which it could not write as a user")
	case rootHomeUsed(p, chain):
		return edit.Decline("what the program needs is installed in root's home")
	case workspaceVolume(chain):
		return edit.Decline("a VOLUME on an image that serves nothing is a host directory the tool works in, which a fixed UID could not write")
	case statefulWithoutVolume(chain):
		return edit.Decline("a stateful server whose data directory no VOLUME names")
	}
	family := userFamily(p, st)
	if family == "" {
		return edit.Decline("the base image's user tools are unknown")
	}
	u := chooseUser(p, chain, family)
	dirs, ok := writableDirs(p, chain, u)
	if !ok {
		return edit.Decline("a directory the application writes cannot be told (a VOLUME with a variable, HOME set to /root)")
	}
	if family == "none" {
		if dirs.written() || u.create {
			return edit.Decline("directories the application writes would need a RUN to hand them over, on a base without a shell")
		}
		dirs = writable{} // what it may only read stays as it is
	}
	at := insertionPoint(st)
	run, user := edit.Keyword(st.From, "run"), edit.Keyword(st.From, "user")
	nl := f.Newline()
	var b strings.Builder
	var cmds []string
	if u.create {
		cmds = append(cmds, userCreate(family, u.name))
	}
	cmds = append(cmds, dirs.commands(u.owner())...)
	if len(cmds) > 0 {
		b.WriteString(run + " " + strings.Join(cmds, " \\"+nl+"    && ") + nl)
	}
	b.WriteString(user + " " + u.value() + nl)
	pos, pre := edit.After(f, at)
	start, end := edit.LineSpan(f, st.From.StartLine, st.Instructions[len(st.Instructions)-1].EndLine)
	return &edit.Fix{
		Message: u.message(dirs),
		Unsafe:  true,
		Edits:   []edit.TextEdit{{Pos: pos, End: pos, NewText: pre + b.String()}},
		// The whole stage: another fix that rewrites it in the same
		// pass (a build-stage split moving the tail) goes first, and
		// the user is placed again against its result.
		Region: &edit.Span{Pos: start, End: end},
	}
}

// newUID is the UID (and GID) of the user NonRoot creates: above the
// ranges distributions hand out, so it clashes with no packaged user.
const newUID = "10001"

// runUser is the user NonRoot runs the container as.
type runUser struct {
	name   string // user name, "" for a numeric user
	uid    string // numeric UID:GID when name is ""
	home   string // home directory, "" for none
	create bool   // the fix creates it
	from   string // where it comes from, for the message
}

// value is what USER is set to.
func (u runUser) value() string {
	if u.name != "" {
		return u.name
	}
	return u.uid
}

// owner is what chown gives the directories to: the user (its group
// does not matter to a process running as it).
func (u runUser) owner() string {
	if u.name == "" {
		return u.uid
	}
	return u.name
}

// message explains the fix.
func (u runUser) message(d writable) string {
	var who string
	switch {
	case u.create && u.name != "":
		who = fmt.Sprintf("create the unprivileged user %s (UID %s, home %s) and run the container as it", u.name, newUID, u.home)
	case u.name == "":
		who = fmt.Sprintf("run the container as the unprivileged UID %s (%s)", u.uid, u.from)
	default:
		who = fmt.Sprintf("run the container as %s (%s)", u.name, u.from)
	}
	if all := d.all(); len(all) > 0 {
		who += fmt.Sprintf(", owner of %s, which the application writes", vocab.JoinAnd(all))
	}
	return who + ": a compromised process no longer has root in the container; the build steps still run as root"
}

// chooseUser picks the user to run as (see NonRoot).
func chooseUser(p *pass, chain []*dockerfile.Stage, family string) runUser {
	// A non-root USER the chain named before switching back to root.
	for _, s := range chain {
		for i := len(s.Instructions) - 1; i >= 0; i-- {
			in := s.Instructions[i]
			if in.Cmd == "user" && !dockerfile.IsRootUser(in.User()) && !dockerfile.HasVariable(in.User()) {
				v := in.User()
				if name, _, _ := strings.Cut(v, ":"); isNumeric(name) {
					return runUser{uid: v, from: "the user the Dockerfile names on line " + strconv.Itoa(in.StartLine)}
				}
				return runUser{name: v, from: "the user the Dockerfile names on line " + strconv.Itoa(in.StartLine)}
			}
		}
	}
	if name, line := createdUser(p, chain); name != "" {
		return runUser{name: name, from: "the user the RUN on line " + strconv.Itoa(line) + " creates"}
	}
	if owner, line := chownedTo(p, chain); owner != "" {
		if isNumeric(owner) {
			return runUser{uid: owner, from: "the owner the Dockerfile gives its files on line " + strconv.Itoa(line)}
		}
		return runUser{name: owner, from: "the owner the Dockerfile gives its files on line " + strconv.Itoa(line)}
	}
	root := chain[len(chain)-1].Base
	if u, ok := baseUser(root); ok {
		return u
	}
	if family == "none" {
		return runUser{uid: newUID + ":" + newUID, from: "the base has no user tools, so a numeric USER"}
	}
	return runUser{name: "app", home: "/home/app", create: true}
}

// createdUser returns the last user the chain's RUNs create with useradd
// or adduser, and the line of that RUN.
func createdUser(p *pass, chain []*dockerfile.Stage) (string, int) {
	name, line := "", 0
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			if in.Cmd != "run" {
				continue
			}
			for _, rs := range p.Shell(in) {
				for _, c := range rs.Commands {
					if !c.Is("useradd", "adduser") {
						continue
					}
					ops := c.Operands()
					if len(ops) == 0 || !ops[0].Literal {
						continue
					}
					n := ops[0].Value
					if c.Is("useradd") {
						n = ops[len(ops)-1].Value
					}
					if n != "" && n != "root" && !strings.HasPrefix(n, "-") {
						name, line = n, in.StartLine
					}
				}
			}
		}
	}
	return name, line
}

// chownedTo returns the non-root user the chain gives files to (RUN
// chown USER[:GROUP] ..., COPY --chown=USER[:GROUP]) last, and the line:
// the user the image is set up for.
func chownedTo(p *pass, chain []*dockerfile.Stage) (string, int) {
	owner, line := "", 0
	consider := func(v string, at int) {
		u, _, _ := strings.Cut(dockerfile.TrimQuotes(v), ":")
		if u != "" && u != "root" && u != "0" && !dockerfile.HasVariable(u) && !strings.HasPrefix(u, "-") {
			owner, line = u, at
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			switch in.Cmd {
			case "copy", "add":
				if v, ok := in.Flag("chown"); ok {
					consider(v, in.StartLine)
				}
			case "run":
				for _, rs := range p.Shell(in) {
					for _, c := range rs.Commands {
						if ops := c.Operands(); c.Is("chown") && len(ops) >= 2 && ops[0].Literal {
							consider(ops[0].Value, in.StartLine)
						}
					}
				}
			}
		}
	}
	return owner, line
}

// baseUser returns the unprivileged user an official base image ships
// for its applications.
func baseUser(b dockerfile.ImageRef) (runUser, bool) {
	repo := strings.ToLower(b.Repository)
	reg := strings.ToLower(b.Registry)
	switch {
	case repo == "node" && reg == "":
		return runUser{name: "node", home: "/home/node", from: "the user the node image ships"}, true
	case strings.Contains(repo, "distroless"):
		return runUser{uid: "65532:65532", home: "/home/nonroot", from: "nonroot, the user distroless images ship"}, true
	case strings.HasPrefix(repo, "dotnet/") && strings.Contains(reg, "mcr.microsoft.com") && dotnetHasApp(b.Tag):
		return runUser{name: "app", home: "/home/app", from: "the user .NET 8 and later images ship"}, true
	}
	return runUser{}, false
}

// dotnetHasApp reports whether a .NET image tag is of version 8 or later
// (whose images create the user app).
func dotnetHasApp(tag string) bool {
	major, _, _ := strings.Cut(tag, ".")
	n, err := strconv.Atoi(major)
	return err == nil && n >= 8
}

// userCreate returns the command that creates the unprivileged user
// name (UID newUID) with its home, for a stage of the given family.
func userCreate(family, name string) string {
	if family == "adduser" {
		return "adduser -D -u " + newUID + " -h /home/" + name + " " + name
	}
	return "useradd --create-home --uid " + newUID + " --user-group " + name
}

// writable lists the directories NonRoot hands to the user.
type writable struct {
	recursive []string // chowned with what they hold
	shallow   []string // the directory itself (the WORKDIR)
	// missing are the directories of recursive that no RUN creates
	// (a VOLUME, $HOME), which are created first.
	missing []string
	// maybe are the directories of recursive the application may only
	// read: made by a RUN and named by ENV or the command, but neither a
	// VOLUME nor a data directory.
	maybe []string
}

// written reports whether the application surely writes one of the
// directories: a VOLUME, $HOME, a data directory.
func (w writable) written() bool { return len(w.recursive) > len(w.maybe) }

// all lists every directory.
func (w writable) all() []string { return append(append([]string(nil), w.recursive...), w.shallow...) }

// commands returns the shell commands that hand the directories to owner.
func (w writable) commands(owner string) []string {
	var out []string
	if len(w.missing) > 0 {
		out = append(out, "mkdir -p "+strings.Join(w.missing, " "))
	}
	if len(w.recursive) > 0 {
		out = append(out, "chown -R "+owner+" "+strings.Join(w.recursive, " "))
	}
	if len(w.shallow) > 0 {
		out = append(out, "chown "+owner+" "+strings.Join(w.shallow, " "))
	}
	return out
}

// writableDirs returns the directories the application writes, as far
// as the Dockerfile tells: VOLUMEs, directories the chain makes for data
// or state, the directories ENV and the command name that the chain
// makes, $HOME when ENV sets it, and the WORKDIR of the command. ok is
// false when one cannot be handed over: a VOLUME given by a variable, or
// HOME set to /root.
func writableDirs(p *pass, chain []*dockerfile.Stage, u runUser) (writable, bool) {
	var w writable
	seen := map[string]bool{}
	chowned := chownedDirs(p, chain)
	add := func(list *[]string, d string) {
		d = path.Clean(d)
		if d == "/" || seen[d] || chowned[d] || systemPath(d) || u.home != "" && !u.create && d == u.home {
			return
		}
		seen[d] = true
		*list = append(*list, d)
	}
	made := madeDirs(p, chain)
	named := map[string]bool{}

	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			switch in.Cmd {
			case "volume":
				for _, v := range volumes(in) {
					if dockerfile.HasVariable(v) || !path.IsAbs(v) {
						return writable{}, false
					}
					add(&w.recursive, v)
				}
			case "env":
				for _, kv := range in.Pairs() {
					v := dockerfile.TrimQuotes(kv[1])
					if kv[0] == "HOME" {
						if path.Clean(v) == "/root" {
							return writable{}, false
						}
						if path.IsAbs(v) && !dockerfile.HasVariable(v) {
							add(&w.recursive, v)
						}
						continue
					}
					for _, part := range strings.Split(v, ":") {
						named[path.Clean(part)] = true
					}
				}
			case "cmd", "entrypoint":
				for _, a := range in.Args {
					for _, part := range strings.FieldsFunc(dockerfile.TrimQuotes(a), func(r rune) bool { return r == '=' || r == ' ' || r == ',' }) {
						if path.IsAbs(part) {
							named[path.Clean(part)] = true
						}
					}
				}
			}
		}
	}
	for _, d := range made {
		switch {
		case dataPath(d):
			add(&w.recursive, d)
		case named[d]:
			// Named in ENV or the command, it may be read only
			// (a document root): handed over all the same.
			before := len(w.recursive)
			add(&w.recursive, d)
			if len(w.recursive) > before {
				w.maybe = append(w.maybe, d)
			}
		}
	}
	// A data directory the command names (--data_dir /data), which a
	// named volume would otherwise create owned by root.
	for _, d := range commandPaths(chain[0]) {
		if dataPath(d) {
			add(&w.recursive, d)
		}
	}
	if wd := commandWorkdir(chain[0]); wd != "" {
		add(&w.shallow, wd)
	}
	for _, d := range w.recursive {
		if !slices.Contains(made, d) {
			w.missing = append(w.missing, d)
		}
	}
	return w, true
}

// commandPaths returns the directories the last ENTRYPOINT and CMD of
// the stage chain of st name as arguments after the program: absolute
// paths, and for a path that names a file (app.db) its directory.
func commandPaths(st *dockerfile.Stage) []string {
	var out []string
	program := true
	for _, cmd := range []string{"entrypoint", "cmd"} {
		for _, s := range st.Chain() {
			in := lastOf(s, cmd)
			if in == nil {
				continue
			}
			for _, w := range commandWords(in) {
				if program {
					program = false
					continue
				}
				for _, part := range strings.Split(dockerfile.TrimQuotes(w), "=") {
					if !path.IsAbs(part) || dockerfile.HasVariable(part) {
						continue
					}
					part = path.Clean(part)
					if strings.Contains(path.Base(part), ".") {
						part = path.Dir(part)
					}
					out = append(out, part)
				}
			}
			break
		}
	}
	return out
}

// volumes returns the paths a VOLUME declares.
func volumes(in *dockerfile.Instruction) []string {
	var out []string
	for _, a := range in.Args {
		for _, v := range strings.Fields(a) {
			if v = dockerfile.TrimQuotes(v); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// madeDirs returns the absolute literal directories the chain's RUNs
// create with mkdir, in order.
func madeDirs(p *pass, chain []*dockerfile.Stage) []string {
	var out []string
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			if in.Cmd != "run" {
				continue
			}
			for _, rs := range p.Shell(in) {
				for _, c := range rs.Commands {
					if !c.Is("mkdir") {
						continue
					}
					for _, w := range c.Operands() {
						if w.Literal && !w.Glob && path.IsAbs(w.Value) && !strings.ContainsAny(w.Value, "{}") {
							out = append(out, path.Clean(w.Value))
						}
					}
				}
			}
		}
	}
	return out
}

// chownedDirs returns the literal paths the chain's RUNs already chown.
func chownedDirs(p *pass, chain []*dockerfile.Stage) map[string]bool {
	out := map[string]bool{}
	for _, s := range chain {
		for _, in := range s.Instructions {
			if in.Cmd != "run" {
				continue
			}
			for _, rs := range p.Shell(in) {
				for _, c := range rs.Commands {
					if !c.Is("chown") {
						continue
					}
					ops := c.Operands()
					for i, w := range ops {
						if i > 0 && w.Literal && path.IsAbs(w.Value) {
							out[path.Clean(w.Value)] = true
						}
					}
				}
			}
		}
	}
	return out
}

// dataPath reports whether a directory is one applications keep data,
// logs, caches or runtime state in.
func dataPath(d string) bool {
	if systemPath(d) {
		return false
	}
	for _, top := range []string{"/data", "/config", "/srv"} {
		if d == top || strings.HasPrefix(d, top+"/") {
			return true
		}
	}
	for _, parent := range []string{"/var/lib", "/var/log", "/var/cache", "/var/run", "/run", "/var/spool", "/var/www"} {
		if strings.HasPrefix(d, parent+"/") {
			return true
		}
	}
	return false
}

// systemDirs are directories that belong to the distribution, its
// package managers or everybody: never handed to the user. Those ending
// in "/" cover what lies under them too.
var systemDirs = []string{
	"/", "/bin/", "/sbin/", "/lib/", "/lib64/", "/usr", "/usr/local", "/usr/src", "/etc/", "/var", "/var/lib",
	"/var/log", "/var/cache", "/home", "/opt", "/srv", "/run", "/mnt", "/media", "/tmp/", "/var/tmp/", "/root/",
	"/proc/", "/sys/", "/dev/", "/boot/", "/usr/bin/", "/usr/sbin/", "/usr/lib/", "/usr/lib64/", "/usr/libexec/",
	"/usr/include/", "/usr/share/", "/usr/local/bin/", "/usr/local/sbin/", "/usr/local/lib/", "/usr/local/include/",
	"/usr/local/share/", "/usr/local/etc/", "/var/lib/apt/", "/var/lib/dpkg/", "/var/cache/apt/", "/var/cache/apk/",
	"/var/log/apt/", "/var/lib/rpm/", "/var/cache/dnf/", "/var/cache/yum/", "/var/lib/dnf/", "/var/lib/yum/",
	"/run/lock/", "/var/run/lock/", "/var/mail", "/var/spool",
}

// systemPath reports whether d is one of systemDirs or under one of
// those that cover their subdirectories.
func systemPath(d string) bool {
	for _, s := range systemDirs {
		dir := strings.TrimSuffix(s, "/")
		if s == "/" {
			dir = "/"
		}
		if d == dir || strings.HasSuffix(s, "/") && s != "/" && strings.HasPrefix(d, s) {
			return true
		}
	}
	return false
}

// commandWorkdir returns the WORKDIR the final stage's command runs in,
// "" when there is none to hand over (the root, a system directory, a
// variable).
func commandWorkdir(st *dockerfile.Stage) string {
	last := st.Instructions[len(st.Instructions)-1]
	wd := last.Workdir()
	if last.Cmd == "workdir" && len(last.Args) > 0 {
		wd = dockerfile.ResolvePath(wd, dockerfile.TrimQuotes(last.Args[0]))
	}
	if wd == "" || wd == "/" || systemPath(wd) {
		return ""
	}
	return wd
}

// insertionPoint returns the instruction of st after which the user
// goes: the last RUN, COPY, ADD or WORKDIR (else the FROM), so that only
// metadata follows it.
func insertionPoint(st *dockerfile.Stage) *dockerfile.Instruction {
	at := st.From
	for _, in := range st.Instructions {
		switch in.Cmd {
		case "run", "copy", "add", "workdir", "user":
			at = in
		}
	}
	return at
}

// privilegedPort reports whether the chain EXPOSEs a port below 1024.
func privilegedPort(chain []*dockerfile.Stage) bool {
	for _, s := range chain {
		for _, in := range s.Instructions {
			if in.Cmd != "expose" {
				continue
			}
			for _, a := range in.Args {
				for _, w := range strings.Fields(a) {
					port, _, _ := strings.Cut(w, "/")
					if lo, _, _ := strings.Cut(port, "-"); lo != "" {
						if n, err := strconv.Atoi(lo); err == nil && n < 1024 {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

// aspnetPort80 reports whether the chain runs on an ASP.NET Core image
// before .NET 8, whose ASPNETCORE_URLS makes the app listen on port 80,
// and does not move it.
func aspnetPort80(chain []*dockerfile.Stage) bool {
	b := chain[len(chain)-1].Base
	repo := strings.ToLower(b.Repository)
	if !strings.Contains(strings.ToLower(b.Registry), "mcr.microsoft.com") || repo != "dotnet/aspnet" && repo != "dotnet/core/aspnet" || dotnetHasApp(b.Tag) {
		return false
	}
	for _, s := range chain {
		for _, in := range s.Instructions {
			if in.Cmd != "env" {
				continue
			}
			for _, kv := range in.Pairs() {
				if kv[0] == "ASPNETCORE_URLS" || kv[0] == "ASPNETCORE_HTTP_PORTS" {
					return false
				}
			}
		}
	}
	return true
}

// scriptAtRoot reports whether the command is a shell script run in /
// (no WORKDIR): what it writes relative to its working directory, a
// report or a log, would land in a directory the user cannot write.
func scriptAtRoot(chain []*dockerfile.Stage) bool {
	cmd := commandOf(chain[0])
	if cmd == nil {
		return false
	}
	words := commandWords(cmd)
	if len(words) == 0 || !strings.HasSuffix(dockerfile.TrimQuotes(words[0]), ".sh") {
		return false
	}
	wd := cmd.Workdir()
	return wd == "/" || wd == ""
}

// homeInstallers are commands that install into the home directory of
// the user who runs them: at build time that is root's, which another
// user's $HOME does not see.
var homeInstallers = [][]string{
	{"playwright", "install"}, {"cypress", "install"}, {"pipx", "install"}, {"poetry", "install"},
	{"cargo", "install"}, {"rustup"}, {"nvm", "install"}, {"sdk", "install"}, {"uv", "tool"},
}

// rootHomeUsed reports whether the chain puts what the program needs in
// root's home: an ENV, COPY or RUN that names /root or ~, pip install
// --user, or a command that installs into $HOME (playwright install,
// cargo install, ...). Run as another user, the program would not find
// it.
func rootHomeUsed(p *pass, chain []*dockerfile.Stage) bool {
	for _, s := range chain {
		for _, in := range s.Instructions {
			switch in.Cmd {
			case "env", "copy", "add", "workdir", "volume":
				for _, a := range in.Args {
					if strings.Contains(a, "/root/") || strings.HasSuffix(dockerfile.TrimQuotes(a), "/root") || strings.Contains(a, "~/") {
						return true
					}
				}
			case "run":
				for _, rs := range p.Shell(in) {
					for _, c := range rs.Commands {
						if strings.Contains(c.Text, "/root/") || strings.Contains(c.Text, "~/") {
							return true
						}
						for _, hi := range homeInstallers {
							if c.Base() == hi[0] || c.Is("npx") && len(c.Args) > 0 && c.Args[0] == hi[0] {
								args := c.Args
								if c.Is("npx") {
									args = args[1:]
								}
								if len(hi) == 1 || len(args) > 0 && args[0] == hi[1] {
									return true
								}
							}
						}
						if c.Is("pip", "pip3") && c.HasFlag("--user") {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

// workspaceVolume reports whether the chain declares a VOLUME but
// serves nothing (no EXPOSE): a tool run on a host directory mounted
// there (docker run -v "$PWD":/workspace), which a fixed UID could not
// write to.
func workspaceVolume(chain []*dockerfile.Stage) bool {
	vol, expose := false, false
	for _, s := range chain {
		for _, in := range s.Instructions {
			vol = vol || in.Cmd == "volume"
			expose = expose || in.Cmd == "expose"
		}
	}
	return vol && !expose
}

// statefulServers are servers that keep their data in a directory named
// when they are started (minio server /data), usually on a volume.
var statefulServers = map[string]bool{
	"minio": true, "redis-server": true, "mongod": true, "postgres": true, "mysqld": true, "mariadbd": true,
	"etcd": true, "consul": true, "vault": true, "nats-server": true, "influxd": true, "elasticsearch": true,
	"cassandra": true, "zkServer.sh": true, "kafka-server-start.sh": true, "rabbitmq-server": true, "couchdb": true,
	"clickhouse-server": true, "meilisearch": true, "typesense-server": true, "qdrant": true, "prometheus": true,
	"loki": true, "tempo": true, "mimir": true, "thanos": true, "registry": true,
}

// statefulWithoutVolume reports whether the command is one of
// statefulServers and the image declares no VOLUME: its data directory
// comes at run time, and a volume mounted there fresh is root's.
func statefulWithoutVolume(chain []*dockerfile.Stage) bool {
	cmd := commandOf(chain[0])
	if cmd == nil {
		return false
	}
	words := commandWords(cmd)
	if len(words) == 0 || !statefulServers[path.Base(dockerfile.TrimQuotes(words[0]))] {
		return false
	}
	for _, s := range chain {
		if lastOf(s, "volume") != nil {
			return false
		}
	}
	return true
}

// isNumeric reports whether s is a number.
func isNumeric(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// endsNonRoot reports whether the stage chain of st sets a non-root USER
// last.
func endsNonRoot(st *dockerfile.Stage) bool {
	for _, s := range st.Chain() {
		var last *dockerfile.Instruction
		for _, in := range s.Instructions {
			if in.Cmd == "user" {
				last = in
			}
		}
		if last != nil {
			return !dockerfile.IsRootUser(last.User())
		}
	}
	return false
}
