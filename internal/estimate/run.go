package estimate

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// runCtx is one RUN being estimated.
type runCtx struct {
	r    *run
	s    *stageState
	in   *dockerfile.Instruction
	step *Step
	sc   *shell.Script
	wd   string
	env  map[string]string
	// cacheMounts are the targets of RUN --mount=type=cache (and tmpfs):
	// what is written there stays out of the layer.
	cacheMounts []string
	// handled are the commands a package manager's estimate accounted
	// for.
	handled map[*shell.Command]bool
	// builds are the build tools already guessed in this RUN.
	builds map[string]bool
}

// mounted reports whether p lies in a cache or tmpfs mount.
func (rc *runCtx) mounted(p string) bool {
	for _, m := range rc.cacheMounts {
		if under(p, m) {
			return true
		}
	}
	return false
}

// runStep estimates a RUN.
func (r *run) runStep(ctx context.Context, s *stageState, in *dockerfile.Instruction, step *Step) error {
	rc := &runCtx{r: r, s: s, in: in, step: step, wd: workdir(in), env: map[string]string{}, handled: map[*shell.Command]bool{}, builds: map[string]bool{}}
	for k, v := range s.env {
		rc.env[k] = v
	}
	if ex := r.execs[in.StartLine]; ex != nil {
		if ex.Cwd != "" {
			rc.wd = ex.Cwd
		}
		for _, kv := range ex.Env {
			if k, v, ok := strings.Cut(kv, "="); ok {
				rc.env[k] = v
			}
		}
	}
	for _, m := range in.Mounts() {
		if (m.Type == "cache" || m.Type == "tmpfs") && m.Target != "" {
			t := m.Target
			if !path.IsAbs(t) {
				t = path.Join(rc.wd, t)
			}
			rc.cacheMounts = append(rc.cacheMounts, path.Clean(t))
		}
	}
	var text string
	switch {
	case in.JSON:
		argv := in.Args
		if len(argv) >= 3 && isShell(argv[0]) && strings.HasPrefix(argv[len(argv)-2], "-") && strings.Contains(argv[len(argv)-2], "c") {
			text = argv[len(argv)-1]
		} else {
			text = shellQuote(argv)
		}
	case !shell.IsPOSIXShell(in.Shell):
		r.out.unknownf("line %d: a RUN in %s, which the estimate does not read", in.StartLine, strings.Join(in.Shell, " "))
		step.add(Part{What: "what the command writes", Size: Between(0, 0, 100e6), Confidence: Unknown, Source: "unknown: not a POSIX shell script"})
		return nil
	default:
		var parts []string
		for _, sc := range in.Scripts() {
			parts = append(parts, sc.Text)
		}
		text = strings.Join(parts, "\n")
	}
	sc, err := shell.Parse(text, shell.WithWorkdir(rc.wd))
	if err != nil {
		r.out.unknownf("line %d: the RUN's shell does not parse (%v)", in.StartLine, err)
		step.add(Part{What: "what the command writes", Size: Between(0, 0, 100e6), Confidence: Unknown, Source: "unknown: the shell script does not parse"})
		return nil
	}
	rc.sc = sc
	if err := rc.apt(ctx); err != nil {
		return err
	}
	if err := rc.apkAdd(ctx); err != nil {
		return err
	}
	if err := rc.pip(ctx); err != nil {
		return err
	}
	if err := rc.npm(ctx); err != nil {
		return err
	}
	rc.otherManagers()
	rc.commands(ctx)
	return nil
}

func isShell(p string) bool {
	switch path.Base(p) {
	case "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox":
		return true
	}
	return false
}

func shellQuote(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(out, " ")
}

// otherManagers marks the package managers the estimate has no index
// for (yum, dnf, zypper, gem, bundle, composer, cargo, yarn, pnpm): their
// installs are unknown.
func (rc *runCtx) otherManagers() {
	for _, op := range rc.sc.PackageOps() {
		if rc.handled[op.Command] {
			continue
		}
		switch op.Manager {
		case shell.AptGet, shell.Apt, shell.Aptitude, shell.Apk, shell.Pip, shell.Npm, shell.Go:
			continue
		}
		rc.handled[op.Command] = true
		switch op.Action {
		case shell.ActionInstall, shell.ActionUpgrade, shell.ActionDownload, shell.ActionUpdate:
		default:
			continue
		}
		what := string(op.Manager) + " " + op.Verb
		if names := op.PackageNames(); len(names) > 0 {
			what += " " + clip(names, 4)
		}
		rc.r.out.unknownf("line %d: %s: the estimate has no size source for %s", rc.in.StartLine, strings.TrimSpace(what), op.Manager)
		rc.step.add(Part{What: strings.TrimSpace(what), Size: Between(0, 50e6, 1e9), Confidence: Unknown, Source: "unknown: no size source for " + string(op.Manager)})
	}
}

// smallCommands write nothing, or a few bytes (a directory entry, a
// link, a line of /etc/passwd).
var smallCommands = map[string]bool{
	"mkdir": true, "ln": true, "touch": true, "echo": true, "printf": true, "cd": true, "set": true, "export": true,
	"true": true, "false": true, "test": true, "[": true, "exit": true, "sleep": true, ":": true, "which": true,
	"command": true, "rm": true, "rmdir": true, "unlink": true, "mv": true, "id": true, "whoami": true, "cat": true,
	"ls": true, "env": true, "pwd": true, "basename": true, "dirname": true, "grep": true, "head": true, "tail": true,
	"sed": true, "awk": true, "tr": true, "cut": true, "sort": true, "uniq": true, "wc": true, "find": true,
	"xargs": true, "useradd": true, "adduser": true, "groupadd": true, "addgroup": true, "usermod": true,
	"groupmod": true, "userdel": true, "groupdel": true, "deluser": true, "delgroup": true, "chpasswd": true, "passwd": true, "ldconfig": true, "update-alternatives": true,
	"dpkg-reconfigure": true, "apt-mark": true, "ulimit": true, "umask": true, "source": true, ".": true,
	"eval": true, "exec": true, "date": true, "uname": true, "stat": true,
	"readlink": true, "realpath": true, "mktemp": true, "tee": true, "gpg": true,
	"gpgconf": true, "apt-key": true, "update-ca-certificates": true, "chown": true, "chmod": true, "chgrp": true,
	"setcap": true, "getent": true, "shift": true, "return": true, "local": true, "read": true, "wait": true,
	"trap": true, "unset": true, "type": true, "hash": true,
	"sha256sum": true, "sha512sum": true, "sha1sum": true, "md5sum": true, "gosu": true, "su-exec": true,
	"dpkg": true, "dpkg-query": true, "dpkg-architecture": true, "dpkg-divert": true, "dpkg-buildflags": true,
	"nproc": true, "getconf": true, "printenv": true, "locale": true, "update-locale": true,
}

// commands estimates what the commands no package manager accounted for
// write: builds (go, make, compilers, build scripts), downloads, copies
// and recursive permission changes (which copy files up into the new
// layer), and other programs.
func (rc *runCtx) commands(ctx context.Context) {
	var unknown []string
	var outputs []string
	small, smallBytes := 0, int64(0)
	for _, c := range rc.sc.Commands {
		if rc.handled[c] || c.InCmdSubst {
			continue
		}
		name := c.Base()
		if name == "" {
			if !c.IsAssignment() {
				unknown = append(unknown, "a command given by a variable")
			}
			continue
		}
		switch {
		case name == "go":
			rc.goCommand(c)
		case name == "make" || name == "cmake" || name == "ninja":
			rc.makeCommand(c)
		case name == "gcc" || name == "cc" || name == "g++" || name == "c++" || name == "clang" || name == "clang++":
			rc.compilerCommand(c)
		case name == "cargo" && len(c.Args) > 0 && (c.Args[0] == "build" || c.Args[0] == "install"):
			rc.guessBuild(c, "cargo "+c.Args[0], "Rust's build writes a binary and its target/ folder")
		case (name == "npm" || name == "yarn" || name == "pnpm") && isScriptRun(c):
			rc.scriptRun(c)
		case name == "curl" || name == "wget":
			rc.downloadCommand(ctx, c)
		case name == "git":
			if len(c.Args) > 0 && (c.Args[0] == "clone" || c.Args[0] == "fetch" || c.Args[0] == "pull") {
				rc.r.out.unknownf("line %d: git %s: the repository's size is not known", rc.in.StartLine, c.Args[0])
				rc.step.add(Part{What: "git " + c.Args[0], Size: Between(0, 20e6, 1e9), Confidence: Unknown, Source: "unknown: a repository fetched at build time"})
			} else {
				small++
			}
		case name == "dpkg" && c.HasFlag("-i", "--install", "--unpack"):
			rc.r.out.unknownf("line %d: dpkg installs a package file the estimate does not read", rc.in.StartLine)
			rc.step.add(Part{What: "dpkg --install", Size: Between(0, 20e6, 500e6), Confidence: Unknown, Source: "unknown: a .deb file fetched or built in the image"})
		case (name == "chown" || name == "chmod" || name == "chgrp") && (c.HasFlag("-R") || c.HasFlag("--recursive")):
			rc.recursiveChange(c)
		case name == "cp":
			rc.copyCommand(c)
		case name == "tar" && (c.HasFlag("-x") || c.HasFlag("--extract") || (len(c.Args) > 0 && strings.HasPrefix(c.Args[0], "x"))):
			if !c.InPipeline() {
				rc.extract(c)
			}
		case name == "locale-gen" || name == "localedef":
			rc.step.add(Part{What: "compiled locales (" + name + ")", Size: Between(1e6, 3e6, 30e6), Confidence: Guessed, Source: "a compiled locale is about 3 MB"})
		case name == "rm":
			for _, w := range c.Operands() {
				if w.Literal && !w.Glob {
					p := w.Value
					if !path.IsAbs(p) {
						p = path.Join(rc.wd, p)
					}
					rc.s.tree.remove(p)
				}
			}
		case smallCommands[name]:
			small++
			smallBytes += smallSize(name)
		case (name == "python" || name == "python3" || strings.HasPrefix(name, "python3.")) && len(c.Args) >= 2 && c.Args[0] == "-m" && c.Args[1] == "venv":
			rc.venv(c, c.Args[2:])
		case name == "virtualenv":
			rc.venv(c, c.Args)
		case name == "jlink":
			rc.jlink(c)
		case name == "ant" || name == "mvn" || name == "mvnw" || name == "gradle" || name == "gradlew" || name == "javac" || name == "sbt" || name == "msbuild" ||
			(name == "dotnet" && len(c.Args) > 0 && (c.Args[0] == "build" || c.Args[0] == "publish")):
			rc.guessBuild(c, strings.TrimSpace(name+" "+strings.Join(firstArgs(c.Args, 2), " ")), name+" builds what the project says")
		case name == "python" || name == "python3" || strings.HasPrefix(name, "python3."):
			if len(c.Args) >= 2 && c.Args[0] == "-m" && c.Args[1] == "compileall" {
				rc.step.add(Part{What: "byte-compiled files (compileall)", Size: Between(0, 5e6, 100e6), Confidence: Guessed, Source: ".pyc files, about the size of the sources they compile"})
				continue
			}
			unknown = append(unknown, name)
			outputs = append(outputs, rc.redirects(c)...)
		default:
			unknown = append(unknown, name)
			outputs = append(outputs, rc.redirects(c)...)
		}
	}
	if small > 0 {
		rc.step.add(Part{What: "small changes (" + plural(small, "command", "commands") + ": users, folders, links, settings)", Size: Between(0, smallBytes, int64(small)*100_000),
			Confidence: Modelled, Source: "a user added copies /etc/passwd, /etc/shadow, /etc/group and /etc/skel; other such commands write a few bytes"})
	}
	if len(unknown) > 0 {
		rc.unknownCommands(unknown, outputs)
	}
}

// smallSize is what a command that writes little typically leaves: the
// copies of /etc's user databases and the home folder's skeleton for a
// new user, a few hundred bytes for the rest.
func smallSize(name string) int64 {
	switch name {
	case "useradd", "adduser":
		return 12_000
	case "groupadd", "addgroup", "usermod", "groupmod", "chpasswd", "passwd":
		return 4_000
	case "ldconfig":
		return 20_000
	case "update-ca-certificates":
		return 200_000
	}
	return 200
}

// extract accounts for tar extracting a file: nothing when the folder it
// extracts into is removed later in the RUN; else unknown.
func (rc *runCtx) extract(c *shell.Command) {
	if dir, ok := c.FlagValue("-C", "--directory"); ok && !strings.ContainsAny(dir, "$`") {
		if !path.IsAbs(dir) {
			dir = path.Join(rc.wd, dir)
		}
		if rc.sc.RemovesPath(path.Clean(dir), c) {
			rc.step.add(Part{What: "files tar extracts into " + dir, Size: Range{}, Confidence: Modelled, Source: "removed later in the same RUN"})
			return
		}
	}
	rc.r.out.unknownf("line %d: tar extracts an archive the estimate does not follow", rc.in.StartLine)
	rc.step.add(Part{What: "files tar extracts", Size: Between(0, 20e6, 1e9), Confidence: Unknown, Source: "unknown: an archive extracted at build time"})
}

var reJDK = lazyre.New(`^openjdk-\d+-jdk-headless$`)

// jlink estimates a custom Java runtime from the JDK's modules (the
// jmods, most of openjdk-NN-jdk-headless's Installed-Size): all of them
// compressed come out at about 1.1 times their size (measured with JDK
// 17); a list of modules at about half.
func (rc *runCtx) jlink(c *shell.Command) {
	out, _ := c.FlagValue("--output")
	mods, _ := c.FlagValue("--add-modules")
	jmods, src := int64(80e6), "a JDK's modules are about 80 MB"
	if in := rc.s.deb.installed; in != nil {
		for _, n := range in.Names() {
			if !reJDK.MatchString(n) {
				continue
			}
			for _, l := range rc.r.debs {
				if l == nil {
					continue
				}
				if p := l.Index.Lookup(n); p != nil {
					jmods, src = p.InstalledSize, fmt.Sprintf("the modules of %s (%s)", n, vocab.FormatSize(p.InstalledSize))
				}
			}
		}
	}
	size := Between(jmods*7/10, jmods*11/10, jmods*17/10)
	what := "a Java runtime (jlink, all modules)"
	if !strings.Contains(mods, "ALL-MODULE-PATH") {
		size = Between(jmods/4, jmods/2, jmods*12/10)
		what = "a Java runtime (jlink " + mods + ")"
	}
	p := Part{What: what, Size: size, Confidence: Guessed, Source: "about 1.1 times " + src + " for all modules, half for a few"}
	rc.step.add(p)
	rc.r.out.unknownf("line %d: the size of the runtime jlink writes is guessed from the JDK's modules (a range is given)", rc.in.StartLine)
	if out != "" && !strings.ContainsAny(out, "$`") {
		if !path.IsAbs(out) {
			out = path.Join(rc.wd, out)
		}
		rc.s.tree.add(&entry{path: path.Clean(out), size: p.Size, conf: Guessed, source: p.Source})
	}
}

func firstArgs(args []string, n int) []string {
	if len(args) > n {
		return args[:n]
	}
	return args
}

// venv estimates a virtualenv (python -m venv DIR, virtualenv DIR): the
// interpreter's links and, unless --without-pip, pip (and setuptools up
// to Python 3.11) installed into it with their .pyc files.
func (rc *runCtx) venv(c *shell.Command, args []string) {
	dir := ""
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			dir = a
		}
	}
	p := Part{What: "a virtualenv with pip", Size: Between(8e6, 20e6, 40e6), Confidence: Guessed,
		Source: "a virtualenv holds pip (and setuptools up to Python 3.11): about 20 MB with their .pyc files"}
	if c.HasFlag("--without-pip") || c.HasFlag("--no-pip") {
		p = Part{What: "a virtualenv without pip", Size: Between(10_000, 60_000, 500_000), Confidence: Guessed, Source: "links to the interpreter and a configuration file"}
	}
	if dir != "" {
		if !path.IsAbs(dir) {
			dir = path.Join(rc.wd, dir)
		}
		p.What += " (" + dir + ")"
		rc.s.tree.add(&entry{path: path.Clean(dir), size: p.Size, conf: p.Confidence, source: p.Source})
	}
	rc.step.add(p)
	rc.r.out.unknownf("line %d: the virtualenv's size is guessed (a range is given)", rc.in.StartLine)
}

// redirects returns the directories a command writes files into by
// redirection (> FILE), as far as their paths are literal.
func (rc *runCtx) redirects(c *shell.Command) []string {
	var out []string
	for _, rd := range c.Redirects {
		if rd.Op != ">" && rd.Op != ">>" && rd.Op != ">|" && rd.Op != "&>" {
			continue
		}
		t := rd.Target.Raw
		if rd.Target.Literal {
			t = rd.Target.Value
		}
		if t == "/dev/null" || strings.HasPrefix(t, "/dev/") || strings.HasPrefix(t, "&") {
			continue
		}
		if i := strings.IndexAny(t, "$`*?"); i >= 0 {
			t = path.Dir(t[:i] + "x")
		}
		t = strings.Trim(t, `"'`)
		if !path.IsAbs(t) {
			t = path.Join(rc.wd, t)
		}
		out = append(out, path.Clean(t))
	}
	return out
}

// unknownCommands accounts for programs the estimate cannot follow: they
// likely write about as much as the context files they name (a converter,
// a generator), which is the expected figure; the range goes to 10 MB
// more.
func (rc *runCtx) unknownCommands(names, outputs []string) {
	names = uniq(names)
	inputs := rc.namedInputs()
	var n int64
	for _, c := range inputs {
		n += c.size
	}
	what := "what " + clip(names, 3) + " writes"
	src := "unknown: programs the estimate cannot follow"
	if n > 0 {
		src = fmt.Sprintf("about as much as the %s of the context they name", plural(len(inputs), "file", "files"))
	}
	p := Part{What: what, Size: Between(0, n, 10*n+10e6), Confidence: Guessed, Source: src}
	rc.step.add(p)
	rc.r.out.unknownf("line %d: what %s writes (a range is given)", rc.in.StartLine, clip(names, 3))
	for _, o := range uniq(outputs) {
		rc.s.tree.add(&entry{path: o, size: p.Size, conf: Guessed, source: "the output of " + clip(names, 3)})
	}
}

// namedInputs returns the context files in the stage that the script's
// words name (a path or a glob, relative to the working directory).
func (rc *runCtx) namedInputs() []copied {
	files := rc.s.tree.contextFilesUnder("/")
	if len(files) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var out []copied
	for _, w := range strings.FieldsFunc(rc.sc.Source, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == ';' || r == '"' || r == '\'' || r == '(' || r == ')' || r == '|' || r == '&' || r == '<' || r == '>'
	}) {
		if w == "" || strings.HasPrefix(w, "-") || strings.ContainsAny(w, "$`=") {
			continue
		}
		pat := w
		if !path.IsAbs(pat) {
			pat = path.Join(rc.wd, pat)
		}
		for _, f := range files {
			if seen[f.dstRel] {
				continue
			}
			if ok, _ := path.Match(pat, f.dstRel); ok || under(f.dstRel, pat) && pat != rc.wd && pat != "/" {
				seen[f.dstRel] = true
				out = append(out, f)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].dstRel < out[j].dstRel })
	return out
}

// recursiveChange: chown -R and chmod -R copy every file they touch into
// the new layer (a copy-up), so the layer holds them again.
func (rc *runCtx) recursiveChange(c *shell.Command) {
	ops := c.Operands()
	if len(ops) < 2 {
		return
	}
	for _, w := range ops[1:] {
		if !w.Literal {
			continue
		}
		p := w.Value
		if !path.IsAbs(p) {
			p = path.Join(rc.wd, p)
		}
		f, ok := rc.s.tree.lookup(p)
		if !ok {
			rc.r.out.unknownf("line %d: %s -R %s copies the files below it into a new layer; their size is not known", rc.in.StartLine, c.Base(), p)
			rc.step.add(Part{What: c.Base() + " -R " + p + " (files copied up)", Size: Between(0, 0, 500e6), Confidence: Unknown, Source: "unknown: files of the base image"})
			continue
		}
		rc.step.add(Part{What: c.Base() + " -R " + p + " (files copied up)", Size: f.size, Confidence: Weaker(f.conf, Modelled), Source: "a permission change copies each file into the new layer"})
	}
}

// copyCommand: cp duplicates what it copies when the source is known.
func (rc *runCtx) copyCommand(c *shell.Command) {
	ops := c.Operands()
	if len(ops) < 2 {
		return
	}
	dst := ops[len(ops)-1]
	for _, w := range ops[:len(ops)-1] {
		if !w.Literal || w.Glob {
			continue
		}
		p := w.Value
		if !path.IsAbs(p) {
			p = path.Join(rc.wd, p)
		}
		if f, ok := rc.s.tree.lookup(p); ok {
			rc.step.add(Part{What: "cp " + p, Size: f.size, Confidence: Weaker(f.conf, Modelled), Source: "a copy of what " + strings.Join(f.sources, ", ") + " put there"})
			if dst.Literal {
				d := dst.Value
				if !path.IsAbs(d) {
					d = path.Join(rc.wd, d)
				}
				rc.s.tree.add(&entry{path: d, size: f.size, conf: f.conf, source: "cp"})
			}
		}
	}
}

func uniq(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// clip lists up to n items and says how many more there are.
func clip(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + fmt.Sprintf(" and %d more", len(xs)-n)
}
