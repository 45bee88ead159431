package rules

import (
	"path"
	"strconv"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// pointlessCommands are programs that make no sense in a RUN: they manage
// a running system, or are interactive.
var pointlessCommands = []string{"free", "ifconfig", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"}

// DL3001 reports commands that make no sense in a container build.
var DL3001 = &Rule{
	ID:       "DL3001",
	Name:     "pointless-command",
	Severity: vocab.Info,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "For some bash commands it makes no sense running them in a Docker container like ssh, vim, shutdown, service, ps, free, top, kill, mount, ifconfig.",
		Why: "A RUN executes once, at build time, in a throw-away container with no init system " +
			"and no terminal. Interactive programs (vim, top, ssh) cannot be used, services started " +
			"with service do not survive the RUN, and inspecting or killing processes or mounting " +
			"file systems does nothing for the image.",
		Bad:  "RUN service nginx start",
		Good: "CMD [\"nginx\", \"-g\", \"daemon off;\"]",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			cmds := r.find(pointlessCommands...)
			if len(cmds) == 0 {
				continue
			}
			var names []string
			seen := map[string]bool{}
			for _, c := range cmds {
				if b := c.Base(); !seen[b] {
					seen[b] = true
					names = append(names, b)
				}
			}
			p.Report(r.outer, "%s%s makes no sense in a Docker build: a RUN has no running system, services or terminal",
				r.prefix(), strings.Join(names, ", "))
		}
		return nil
	},
}

// DL3003 reports cd used to change the working directory.
var DL3003 = &Rule{
	ID:       "DL3003",
	Name:     "use-workdir",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Use WORKDIR to switch to a directory.",
		Why: "cd only lasts until the end of the RUN; the next instruction starts in the WORKDIR " +
			"again, which is easy to forget and makes the Dockerfile hard to follow. WORKDIR sets the " +
			"directory for every following instruction and creates it if needed. A cd inside a " +
			"subshell ( cd dir && make ) or into a directory made in the same RUN (mktemp) is not " +
			"reported: it cannot be replaced by WORKDIR. The fix turns a leading cd DIR && into a " +
			"WORKDIR before the RUN and adds a WORKDIR after it back to the directory in force before " +
			"(/ when the Dockerfile sets none), even at the end of a stage, which may be built with " +
			"--target; when that directory already is DIR the cd is only dropped. It is offered only " +
			"when that directory is known: a WORKDIR earlier in the stage chain, or a scratch or " +
			"distribution base (language images such as golang set a WORKDIR of their own).",
		Bad:  "RUN cd /app && make",
		Good: "WORKDIR /app\nRUN make",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			for _, c := range r.find("cd") {
				if c.InSubshell || c.InCmdSubst || cdToTemp(c) {
					continue
				}
				if fix := cdFix(p, r, c); fix != nil {
					p.ReportFix(r.outer, fix, "%sUse WORKDIR to switch to a directory", r.prefix())
				} else {
					p.Report(r.outer, "%sUse WORKDIR to switch to a directory", r.prefix())
				}
				break
			}
		}
		return nil
	},
}

// cdFix moves the cd DIR that starts a RUN script into a WORKDIR:
// "RUN cd /app && make" becomes "WORKDIR /app", "RUN make" and a WORKDIR
// back to the previous directory. It returns nil unless the RUN is a
// shell-form RUN of a stage (no ONBUILD, no heredoc) whose script starts
// with a plain "cd DIR &&" (one literal path argument, no options, no
// wrappers, assignments or redirections, not in a subshell, a group or a
// background list), the directory can be made absolute and written as
// is, and nothing else in the RUN depends on the directory it started in
// (cd -, $OLDPWD, relative mount targets).
func cdFix(p *Pass, r shRun, c *shellCmd) *edit.Fix {
	f, in := p.File, r.run
	if r.onbuild || r.outer != in || in.JSON || len(in.Heredocs) > 0 || len(r.scripts) != 1 {
		return nil
	}
	rs := r.scripts[0]
	if rs.Heredoc || c.script != rs || len(rs.Commands) < 2 || rs.Commands[0] != c.Command {
		return nil
	}
	src := rs.Source
	start := c.Pos.Offset
	if start > len(src) || strings.TrimLeft(src[:start], " \t") != "" || c.NameWord.Pos.Offset != start ||
		c.InSubshell || c.InCmdSubst || c.InCondition || c.InBranch || c.InLoop || c.InFunction || c.Negated ||
		c.InPipeline() || c.Join != shell.JoinAnd || c.Name != "cd" || len(c.Assigns) > 0 || len(c.Wrappers) > 0 ||
		len(c.Prefix) > 0 || len(c.Redirects) > 0 || len(c.ArgWords) != 1 {
		return nil
	}
	arg := c.ArgWords[0]
	if !arg.Literal || arg.Glob || dockerfile.HasVariable(arg.Raw) || !cdPlainPath(arg.Value) {
		return nil
	}
	// A background list runs in a subshell: "cd /a && make & ls" lists
	// the directory the RUN started in.
	for _, o := range rs.Commands {
		if o.Join == shell.JoinBackground || o != c.Command && o.Is("cd") && o.HasArgs("-") {
			return nil
		}
	}
	if strings.Contains(src, "OLDPWD") {
		return nil
	}
	// Relative mount targets are resolved against the WORKDIR.
	for _, m := range r.mounts() {
		if t := dockerfile.TrimQuotes(m.Target); t != "" && !strings.HasPrefix(t, "/") {
			return nil
		}
	}
	prev := in.Workdir()
	if !workdirCertain(in) {
		// The base image may set a WORKDIR of its own (golang: /go):
		// restoring "/" would change what follows.
		return nil
	}
	if !strings.HasPrefix(arg.Value, "/") {
		// cd looks a relative name up in $CDPATH first.
		if _, ok := r.vars.lookup("CDPATH"); ok || dockerfile.HasVariable(prev) {
			return nil
		}
	}
	dir := dockerfile.ResolvePath(prev, arg.Value)
	if dir == "" || prev == "" || !cdPlainPath(dir) || !cdPlainPath(prev) {
		return nil
	}
	// The cd and the && after it, with the blanks up to the next command.
	i := c.End.Offset
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if !strings.HasPrefix(src[i:], "&&") {
		return nil
	}
	i += 2
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if i >= len(src) || src[i] == '\n' || src[i] == '#' {
		return nil
	}
	m, ok := edit.ShellFormOffsets(f, in, rs)
	if !ok {
		return nil
	}
	cut := edit.TextEdit{Pos: m(start), End: m(i)}
	kw := f.Offset(in.StartLine, in.Column)
	lineStart := f.Offset(in.StartLine, 1)
	if cut.Pos <= kw || cut.End <= cut.Pos || cut.End > len(f.Source) ||
		strings.Contains(string(f.Source[cut.Pos:cut.End]), "#") ||
		strings.Trim(string(f.Source[lineStart:kw]), " \t") != "" {
		return nil
	}
	after, pre := edit.After(f, in)
	region := &edit.Span{Pos: lineStart, End: after}
	if dir == prev {
		return &edit.Fix{Message: "remove cd " + arg.Value + ": the RUN already starts in " + dir, Edits: []edit.TextEdit{cut}, Region: region}
	}
	nl := f.Newline()
	indent := string(f.Source[lineStart:kw])
	workdir := edit.Keyword(in, "workdir")
	return &edit.Fix{
		Region:  region,
		Message: "switch to " + dir + " with WORKDIR before the RUN and back to " + prev + " after it",
		Edits: []edit.TextEdit{
			{Pos: kw, End: kw, NewText: workdir + " " + dir + nl + indent},
			cut,
			{Pos: after, End: after, NewText: pre + indent + workdir + " " + prev + nl},
		},
	}
}

// cdPlainPath reports whether a cd operand or WORKDIR path can be written
// in a WORKDIR as is and names the same directory for cd: no quoting,
// variables, escapes, blanks or tilde, and not an option.
func cdPlainPath(s string) bool {
	if s == "" || s[0] == '-' || s[0] == '~' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_./@%+,:=-", c) >= 0) {
			return false
		}
	}
	return true
}

// cdToTemp reports whether a cd goes into a directory computed at run
// time (cd "$(mktemp -d)", cd "$tmp"), which WORKDIR cannot name.
func cdToTemp(c *shellCmd) bool {
	for _, w := range c.ArgWords {
		if strings.Contains(w.Raw, "mktemp") {
			return true
		}
	}
	return false
}

// DL3004 reports sudo.
var DL3004 = &Rule{
	ID:       "DL3004",
	Name:     "no-sudo",
	Severity: vocab.Error,
	Category: vocab.Security,
	Doc: Doc{
		Summary: "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root.",
		Why: "sudo is meant for interactive use: it may ask for a password, needs a TTY with some " +
			"configurations, and changes signal handling and the environment. A RUN already runs as " +
			"the USER in force; switch users with USER, or with gosu/su-exec at run time.",
		Bad:  "RUN sudo apt-get install -y curl",
		Good: "USER root\nRUN apt-get install -y curl",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			for _, sc := range r.scripts {
				if sc.UsesSudo() {
					p.Report(r.outer, "%sDo not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root", r.prefix())
					break
				}
			}
		}
		return nil
	},
}

// DL3010 reports archives COPY'd into the image and then extracted by a
// RUN: ADD extracts local tar archives itself, without leaving the archive
// in a layer.
var DL3010 = &Rule{
	ID:        "DL3010",
	Name:      "use-add-to-extract",
	Severity:  vocab.Info,
	Category:  vocab.Size,
	Checklist: SizeSameLayerCleanup,
	Doc: Doc{
		Summary: "Use ADD for extracting archives into an image.",
		Why: "COPY app.tar.gz followed by RUN tar -xf app.tar.gz keeps the archive in the COPY " +
			"layer even if the RUN deletes it, so the image carries the data twice. ADD unpacks a " +
			"local tar archive (gzip, bzip2, xz) in one step and stores only the extracted files.",
		Bad:  "COPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt",
		Good: "ADD app.tar.gz /opt/",
	},
	Check: func(p *Pass) error {
		idx := shIndexOf(p)
		for _, st := range p.File.Stages {
			// archives maps the base name of each archive COPY'd in the
			// stage to the COPY instructions.
			archives := map[string][]*dockerfile.Instruction{}
			reported := map[*dockerfile.Instruction]bool{}
			for _, in := range st.Instructions {
				switch in.Cmd {
				case "copy":
					if _, from := in.Flag("from"); from || len(in.Args) < 2 || len(in.Heredocs) > 0 {
						continue
					}
					dst := dockerfile.TrimQuotes(in.Args[len(in.Args)-1])
					if isArchiveName(dst) && !dockerfile.HasVariable(dst) {
						archives[baseNameAny(dst)] = append(archives[baseNameAny(dst)], in)
						continue
					}
					for _, src := range in.Args[:len(in.Args)-1] {
						s := dockerfile.TrimQuotes(src)
						if isArchiveName(s) && !dockerfile.HasVariable(s) && !isRemoteSource(s) && !strings.ContainsAny(s, "*?[") {
							archives[baseNameAny(s)] = append(archives[baseNameAny(s)], in)
						}
					}
				case "run":
					if len(archives) == 0 || !shell.IsPOSIXShell(idx.shell[in]) {
						continue
					}
					for _, sc := range p.Shell(in) {
						for _, c := range sc.Commands {
							if !isTarExtract(c) && !isDecompress(c) {
								continue
							}
							for _, name := range archiveArgs(c) {
								for _, cp := range archives[name] {
									if !reported[cp] {
										reported[cp] = true
										p.Report(cp, "Use ADD for extracting archives into an image: %s is extracted by the RUN at line %d", name, in.StartLine)
									}
								}
							}
						}
					}
				}
			}
		}
		return nil
	},
}

// baseNameAny returns the last element of a POSIX or Windows path.
func baseNameAny(s string) string {
	s = strings.TrimRight(s, `/\`)
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		return s[i+1:]
	}
	return s
}

// isTarExtract reports whether c is tar extracting (-x, --extract, --get,
// or old-style "tar xzf").
func isTarExtract(c *shell.Command) bool {
	if c.Base() != "tar" {
		return false
	}
	if c.HasFlag("-x", "--extract", "--get") {
		return true
	}
	if len(c.ArgWords) > 0 {
		first := c.ArgWords[0]
		if first.Literal && !strings.HasPrefix(first.Value, "-") && strings.Contains(first.Value, "x") &&
			strings.Trim(first.Value, "AcdtrruxzjJvfopPkmOwWlSMgGhiKNRTVbBCX") == "" {
			return true
		}
	}
	return false
}

// isDecompress reports whether c decompresses files, as hadolint counts.
func isDecompress(c *shell.Command) bool {
	switch c.Base() {
	case "gunzip", "bunzip2", "unlzma", "unxz", "zgz", "uncompress", "zcat", "gzcat", "unzstd":
		return true
	}
	return false
}

// archiveArgs returns the base names of c's literal arguments and of the
// values attached to its options (--file=x.tar, -xzfx.tar).
func archiveArgs(c *shell.Command) []string {
	var out []string
	for _, w := range c.ArgWords {
		if !w.Literal {
			continue
		}
		v := w.Value
		if strings.HasPrefix(v, "--") {
			_, v, _ = strings.Cut(v, "=")
		} else if strings.HasPrefix(v, "-") && len(v) > 2 {
			if i := strings.IndexByte(v, 'f'); i > 0 && i+1 < len(v) {
				v = v[i+1:]
			}
		}
		if v != "" {
			out = append(out, baseNameAny(v))
		}
	}
	return out
}

// DL3046 reports useradd with a high UID and without -l.
var DL3046 = &Rule{
	ID:       "DL3046",
	Name:     "useradd-high-uid",
	Severity: vocab.Warning,
	Category: vocab.Size,
	Doc: Doc{
		Summary: "useradd without flag -l and high UID will result in excessively large image.",
		Why: "useradd records every user in /var/log/lastlog and /var/log/faillog, sparse files " +
			"indexed by UID. Docker layers do not keep files sparse, so a UID of 100000 or more " +
			"adds gigabytes of zeros to the image. -l (--no-log-init) skips those files.",
		Bad:  "RUN useradd -u 123456 app",
		Good: "RUN useradd -l -u 123456 app",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			for _, c := range r.find("useradd") {
				if c.HasFlag("-l", "--no-log-init") {
					continue
				}
				uid, ok := c.FlagValue("-u", "--uid")
				if !ok {
					continue
				}
				if strings.Contains(uid, "$") {
					v, unresolved := dockerfile.ExpandArgs(strings.Trim(uid, `"'`), r.vars.lookup)
					if unresolved {
						continue
					}
					uid = v
				}
				if n, err := strconv.ParseUint(strings.Trim(uid, `"' `), 10, 64); err != nil || n < 100000 {
					continue
				}
				p.Report(r.outer, "%suseradd without flag -l and high UID %s will result in excessively large image", r.prefix(), uid)
				break
			}
		}
		return nil
	},
}

// DL3047 reports wget without a progress setting.
var DL3047 = &Rule{
	ID:       "DL3047",
	Name:     "wget-progress",
	Severity: vocab.Info,
	Category: vocab.Performance,
	Doc: Doc{
		Summary: "Avoid use of wget without progress bar. Use wget --progress=dot:giga <url>. Or consider using -q or -nv (shorthands for --quiet or --no-verbose).",
		Why: "Without a terminal wget prints its progress as dots, a line every few kilobytes: " +
			"downloading a large file fills the build log with megabytes of dots. " +
			"--progress=dot:giga, -q or -nv keep the log readable.",
		Bad:  "RUN wget https://example.com/big.tar.gz",
		Good: "RUN wget --progress=dot:giga https://example.com/big.tar.gz",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			for _, c := range r.find("wget") {
				if c.HasFlag("--progress", "-q", "--quiet", "-nv", "--no-verbose", "-o", "--output-file", "-a", "--append-output") {
					continue
				}
				p.Report(r.outer, "%sAvoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`)", r.prefix())
				break
			}
		}
		return nil
	},
}

// DL4001 reports a stage that uses both wget and curl.
var DL4001 = &Rule{
	ID:        "DL4001",
	Name:      "wget-or-curl",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: SizeMinimalPackages,
	Doc: Doc{
		Summary: "Either use wget or curl but not both.",
		Why: "wget and curl do the same job. Using both means installing and maintaining two tools " +
			"(and their libraries) in the image for no gain; pick one.",
		Bad:  "RUN wget -q https://example.com/a\nRUN curl -fsSLO https://example.com/b",
		Good: "RUN curl -fsSLO https://example.com/a\nRUN curl -fsSLO https://example.com/b",
	},
	Check: func(p *Pass) error {
		type key struct {
			st      *dockerfile.Stage
			onbuild bool
		}
		used := map[key]map[string]bool{}
		for _, r := range shellRuns(p) {
			k := key{r.stage, r.onbuild}
			if used[k] == nil {
				used[k] = map[string]bool{}
			}
			here := false
			for _, c := range r.find("curl", "wget") {
				used[k][c.Base()] = true
				here = true
			}
			if here && len(used[k]) == 2 {
				p.Report(r.outer, "%sEither use wget or curl but not both", r.prefix())
			}
		}
		return nil
	},
}

// DL4005 reports replacing /bin/sh with a link.
var DL4005 = &Rule{
	ID:       "DL4005",
	Name:     "use-shell-instruction",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Use SHELL to change the default shell.",
		Why: "Linking another shell over /bin/sh changes the shell of every program in the image " +
			"that runs /bin/sh, not only of the Dockerfile's RUN instructions, and hides the choice " +
			"in a RUN. The SHELL instruction changes the shell RUN uses, visibly.",
		Bad:  "RUN ln -sf /bin/bash /bin/sh",
		Good: "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			for _, c := range r.find("ln") {
				ops := c.Operands()
				if len(ops) < 2 || c.HasFlag("-t", "--target-directory") {
					continue
				}
				last := ops[len(ops)-1]
				if last.Literal && path.Clean(last.Value) == "/bin/sh" {
					p.Report(r.outer, "%sUse SHELL to change the default shell", r.prefix())
					break
				}
			}
		}
		return nil
	},
}

// DL4006 reports a RUN with a pipe and no pipefail.
var DL4006 = &Rule{
	ID:       "DL4006",
	Name:     "pipefail",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Set the SHELL option -o pipefail before RUN with a pipe in it.",
		Why: "A pipeline's status is the status of its last command: in RUN wget -O- URL | tar -x " +
			"a failed download is ignored as long as tar succeeds, and the build goes on with a " +
			"broken image. With pipefail the RUN fails when any stage fails. Set it for every RUN " +
			"with SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"], or in the RUN with set -o pipefail. " +
			"If /bin/sh is busybox (Alpine), use SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"].",
		Bad:  "RUN wget -O - https://example.com/setup | sh",
		Good: "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O - https://example.com/setup | sh",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			if shell.ShellHasPipefail(r.shell) {
				continue
			}
			for _, sc := range r.scripts {
				if sc.HasPipes() && !sc.HasPipefail() {
					p.Report(r.outer, "%sSet the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check", r.prefix())
					break
				}
			}
		}
		return nil
	},
}

// workdirCertain reports whether the working directory in force before
// in is known: set by a WORKDIR of its stage chain, or the chain starts
// from scratch or from a distribution image, which leaves it at "/".
// Language images set their own (golang: /go) and are not trusted.
func workdirCertain(in *dockerfile.Instruction) bool {
	root := rootStage(in.Stage)
	for s := in.Stage; s != nil; s = s.BaseStage {
		for _, i := range s.Instructions {
			if i == in {
				break
			}
			if i.Cmd == "workdir" {
				return true
			}
		}
		if s == root {
			break
		}
	}
	return root != nil && plainBase(root.Base)
}

// rootStage returns the first stage of st's chain of FROM <stage>.
func rootStage(st *dockerfile.Stage) *dockerfile.Stage {
	for n := 0; st != nil && st.BaseStage != nil && n < 64; n++ {
		st = st.BaseStage
	}
	return st
}

// plainBase reports whether an image is scratch or a distribution image,
// which sets no WORKDIR and no ENTRYPOINT of its own.
func plainBase(ref dockerfile.ImageRef) bool {
	if ref.Scratch {
		return true
	}
	switch path.Base(ref.Repository) {
	case "debian", "ubuntu", "alpine", "busybox", "fedora", "centos", "rockylinux", "almalinux",
		"amazonlinux", "oraclelinux", "archlinux", "photon", "ubi", "ubi-minimal", "ubi8", "ubi9", "leap", "tumbleweed":
		return true
	}
	return false
}
