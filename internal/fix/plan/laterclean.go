package plan

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
)

// laterFamily describes the programs and directories of a package
// manager's cache: a clean-up can only move to the RUN that filled the
// cache when nothing between the two uses either.
type laterFamily struct {
	progs    []string        // programs that read or write the cache
	managers []shell.Manager // managers whose clean commands may move
	caches   []shell.Cache   // caches an rm that moves may empty
	dirs     []string        // absolute cache directories (/root is ~)
}

var (
	laterApt = &laterFamily{
		progs:    []string{"apt", "apt-get", "apt-cache", "aptitude", "apt-key", "apt-mark", "apt-file", "add-apt-repository", "dpkg", "dpkg-reconfigure", "debconf-set-selections", "unattended-upgrade"},
		managers: []shell.Manager{shell.AptGet, shell.Apt, shell.Aptitude},
		caches:   []shell.Cache{shell.CacheAptLists, shell.CacheAptArchives},
		dirs:     []string{"/var/lib/apt", "/var/cache/apt"},
	}
	laterRPM = &laterFamily{
		progs:    []string{"yum", "dnf", "dnf5", "microdnf", "rpm", "yum-config-manager", "yum-builddep", "repoquery"},
		managers: []shell.Manager{shell.Yum, shell.Dnf, shell.Microdnf},
		caches:   []shell.Cache{shell.CacheYum, shell.CacheDnf},
		dirs:     []string{"/var/cache/yum", "/var/cache/dnf"},
	}
	laterFamilies = map[shell.Cache]*laterFamily{
		shell.CacheAptLists: laterApt,
		shell.CacheYum:      laterRPM,
		shell.CacheDnf:      laterRPM,
		shell.CacheApk: {progs: []string{"apk"}, managers: []shell.Manager{shell.Apk},
			caches: []shell.Cache{shell.CacheApk}, dirs: []string{"/var/cache/apk", "/etc/apk/cache"}},
		shell.CacheZypper: {progs: []string{"zypper", "rpm"}, managers: []shell.Manager{shell.Zypper},
			caches: []shell.Cache{shell.CacheZypper}, dirs: []string{"/var/cache/zypp"}},
		shell.CachePip: {progs: []string{"pip", "pip3", "python", "python3", "pipx", "pipenv", "poetry", "uv"}, managers: []shell.Manager{shell.Pip},
			caches: []shell.Cache{shell.CachePip}, dirs: []string{"/root/.cache/pip"}},
		shell.CacheNpm: {progs: []string{"npm", "npx", "node", "corepack"}, managers: []shell.Manager{shell.Npm},
			caches: []shell.Cache{shell.CacheNpm}, dirs: []string{"/root/.npm"}},
		shell.CacheYarn: {progs: []string{"yarn", "yarnpkg", "npx", "node", "corepack"}, managers: []shell.Manager{shell.Yarn},
			caches: []shell.Cache{shell.CacheYarn}, dirs: []string{"/usr/local/share/.cache/yarn", "/root/.cache/yarn"}},
		shell.CacheGem: {progs: []string{"gem", "bundle", "bundler", "ruby", "rake"}, managers: []shell.Manager{shell.Gem, shell.Bundle},
			caches: []shell.Cache{shell.CacheGem}, dirs: []string{"/usr/local/bundle", "/root/.gem", "/root/.local/share/gem"}},
		shell.CacheComposer: {progs: []string{"composer", "php"}, managers: []shell.Manager{shell.Composer},
			caches: []shell.Cache{shell.CacheComposer}, dirs: []string{"/root/.composer", "/root/.cache/composer"}},
		shell.CacheGo: {progs: []string{"go"}, managers: []shell.Manager{shell.Go},
			caches: []shell.Cache{shell.CacheGo}, dirs: []string{"/root/.cache/go-build", "/go/pkg/mod", "/root/go/pkg/mod"}},
	}
)

// laterMove is a clean-up command of the later RUN and the RUN it moves
// to.
type laterMove struct {
	cmd  *shell.Command
	fill int // index in the stage of the RUN that filled the cache
}

// laterClean moves the clean-up commands of in to the end of the RUNs
// that filled the caches they empty, and removes them from in (the whole
// instruction when nothing is left).
func laterClean(p *pass, st *dockerfile.Stage, in *dockerfile.Instruction, origins []Origin) *edit.Fix {
	f := p.File
	scripts := p.Shell(in)
	if len(scripts) != 1 || scripts[0].Heredoc || len(in.Heredocs) > 0 || in.JSON || len(in.Scripts()) != 1 {
		return nil
	}
	rs := scripts[0]
	li := stageRun(st, in.StartLine)
	if li < 0 {
		return nil
	}
	fillOf, found, ok := fillRuns(st, li, origins)
	if !ok {
		return nil
	}
	cl := sortCleanup(rs, found, fillOf)
	if len(cl.moves) == 0 || !cl.safe(p, st, in, li, found, fillOf) {
		return nil
	}
	fills, edits, ok := appendMoved(p, st, cl.moves)
	if !ok {
		return nil
	}
	del, ok := laterDelete(f, in, rs, cl.moving)
	if !ok {
		return nil
	}
	edits = append(edits, del...)
	pos, end := edit.LineSpan(f, st.Instructions[fills[0]].StartLine, in.EndLine)
	where := make([]string, len(fills))
	for i, fi := range fills {
		where[i] = fmt.Sprint(st.Instructions[fi].StartLine)
	}
	return &edit.Fix{
		Message: fmt.Sprintf("move the clean-up to the end of the RUN at line %s, which filled the cache", strings.Join(where, " and ")),
		Edits:   edits,
		Region:  &edit.Span{Pos: pos, End: end},
	}
}

// fillRuns finds, for each cache the origins filled, the index in st of
// the RUN that filled it (the last one), and lists the caches in order.
// ok is false when an origin is not a RUN of st before the later RUN
// (index li) or fills no cache a clean-up can move for.
func fillRuns(st *dockerfile.Stage, li int, origins []Origin) (fillOf map[shell.Cache]int, found []shell.Cache, ok bool) {
	fillOf = map[shell.Cache]int{}
	for _, o := range origins {
		fi := stageRun(st, o.Line)
		if fi < 0 || fi >= li || laterFamilies[o.Cache] == nil {
			return nil, nil, false
		}
		if _, ok := fillOf[o.Cache]; !ok {
			found = append(found, o.Cache)
		}
		fillOf[o.Cache] = fi
	}
	return fillOf, found, true
}

// cleanup sorts the commands of the later RUN into those that move and
// those that stay.
type cleanup struct {
	moves   []laterMove
	kept    []*shell.Command
	moving  map[*shell.Command]bool
	cleaned map[shell.Cache]bool // the found caches the moving commands empty
}

// sortCleanup sorts the commands of rs (see laterCleanup).
func sortCleanup(rs *edit.Script, found []shell.Cache, fillOf map[shell.Cache]int) *cleanup {
	cl := &cleanup{moving: map[*shell.Command]bool{}, cleaned: map[shell.Cache]bool{}}
	for _, c := range rs.Commands {
		fc, alone, ok := laterCleanup(c, found)
		if !ok {
			cl.kept = append(cl.kept, c)
			continue
		}
		cl.moves = append(cl.moves, laterMove{c, fillOf[fc]})
		cl.moving[c] = true
		for _, x := range alone {
			cl.cleaned[x] = true
		}
	}
	return cl
}

// safe reports whether the moves keep the build's meaning: every found
// cache is emptied by the moving commands, nothing that stays in the
// later RUN in uses a family's cache, neither RUN mounts over it, and
// the instructions between the RUN that filled it and in leave it alone
// (see laterQuiet).
func (cl *cleanup) safe(p *pass, st *dockerfile.Stage, in *dockerfile.Instruction, li int, found []shell.Cache, fillOf map[shell.Cache]int) bool {
	onlyRm := true
	for _, m := range cl.moves {
		onlyRm = onlyRm && m.cmd.Is("rm")
	}
	for _, fc := range found {
		fam := laterFamilies[fc]
		if !cl.cleaned[fc] || laterUses(cl.kept, fam) || laterMounts(in, fam) || laterMounts(st.Instructions[fillOf[fc]], fam) {
			return false
		}
		for _, mid := range st.Instructions[fillOf[fc]+1 : li] {
			if !laterQuiet(p, mid, fam, onlyRm) {
				return false
			}
		}
	}
	return true
}

// appendMoved returns the edits that append the moving commands to the
// RUNs they move to, in order, and those RUNs' indexes in st, sorted. ok
// is false when a RUN's script cannot take them exactly (a trailing
// comment, say).
func appendMoved(p *pass, st *dockerfile.Stage, moves []laterMove) (fills []int, edits []edit.TextEdit, ok bool) {
	byFill := map[int][]string{}
	for _, m := range moves {
		if _, ok := byFill[m.fill]; !ok {
			fills = append(fills, m.fill)
		}
		// The command has no quotes: its words can be re-spaced (a
		// continuation leaves the next line's indentation).
		byFill[m.fill] = append(byFill[m.fill], strings.Join(strings.Fields(m.cmd.Text), " "))
	}
	sort.Ints(fills)
	for _, fi := range fills {
		target := st.Instructions[fi]
		ts := p.Shell(target)
		if len(ts) != 1 || len(target.Scripts()) != 1 {
			return nil, nil, false
		}
		add := strings.Join(byFill[fi], " && ")
		chained, err := shell.Parse(strings.TrimRight(ts[0].Source, " \t\r\n") + " && " + add)
		if err != nil || len(chained.Commands) != len(ts[0].Commands)+len(byFill[fi]) {
			return nil, nil, false // a trailing comment, say
		}
		e, ok := edit.ScriptEnd(p.File, target, ts, " && "+add)
		if !ok {
			return nil, nil, false
		}
		edits = append(edits, e)
	}
	return fills, edits, true
}

// laterCleanup tells whether command c of the later RUN is a clean-up
// that can move to an earlier RUN: a top-level command joined by && that
// only empties caches of the family of one of the found caches (rm with
// absolute paths, or the manager's own clean command), with no variable,
// redirection or dependence on the working directory. It returns the
// found cache whose RUN it moves to and the found caches it empties by
// itself.
func laterCleanup(c *shell.Command, found []shell.Cache) (shell.Cache, []shell.Cache, bool) {
	if c.InSubshell || c.InCmdSubst || c.InCondition || c.InBranch || c.InLoop || c.InFunction || c.Negated ||
		c.InPipeline() || len(c.Redirects) > 0 || len(c.Assigns) > 0 || c.Sudo || strings.ContainsAny(c.Text, "$`\\\"'") {
		return "", nil, false
	}
	if c.Join != shell.JoinAnd && c.Join != shell.JoinEnd {
		return "", nil, false
	}
	alone, err := shell.Parse(c.Text)
	if err != nil || len(alone.Commands) != 1 {
		return "", nil, false
	}
	var self []shell.Cache
	for _, fc := range found {
		if alone.Cleans(fc, nil) {
			self = append(self, fc)
		}
	}
	for _, fc := range found {
		fam := laterFamilies[fc]
		if c.Is("rm") {
			ops := alone.Commands[0].Operands()
			all := len(ops) > 0
			for _, w := range ops {
				one, err := shell.Parse("rm -rf " + w.Raw)
				ok := err == nil && path.IsAbs(w.Value)
				if ok {
					ok = false
					for _, x := range fam.caches {
						ok = ok || one.Cleans(x, nil)
					}
				}
				all = all && ok
			}
			if all {
				return fc, self, true
			}
			continue
		}
		if ops := alone.PackageOps(); len(ops) == 1 && ops[0].Action == shell.ActionClean && ops[0].Is(shell.ActionClean, fam.managers...) {
			return fc, self, true
		}
	}
	return "", nil, false
}

// laterUses reports whether any of the commands may use the family's
// cache: it runs one of its programs, names one of its directories, or
// runs something whose commands cannot be seen (a script, a shell, a
// program given by path or variable, make).
func laterUses(cmds []*shell.Command, fam *laterFamily) bool {
	for _, c := range cmds {
		if c.IsAssignment() {
			if laterNames(c.Text, fam) {
				return true
			}
			continue
		}
		b := c.Base()
		if c.Name == "" || strings.Contains(c.Name, "/") || strings.HasSuffix(b, ".sh") {
			return true
		}
		switch b {
		case "sh", "bash", "dash", "ash", "zsh", "ksh", "source", ".", "eval", "exec", "make", "install-php-extensions",
			"docker-php-ext-install", "docker-php-ext-configure", "docker-php-ext-enable", "docker-php-source":
			return true
		}
		if laterProg(b, fam) || laterNames(c.Text, fam) {
			return true
		}
		for _, a := range c.Args {
			if laterProg(path.Base(strings.ReplaceAll(a, `\`, "/")), fam) {
				return true
			}
		}
	}
	return false
}

// laterProg reports whether a program name is one of the family's, with
// an optional version suffix (pip3.12, python3).
func laterProg(name string, fam *laterFamily) bool {
	for _, p := range fam.progs {
		if name == p || strings.HasPrefix(name, p) && strings.Trim(name[len(p):], "0123456789.") == "" {
			return true
		}
	}
	return false
}

// laterNames reports whether text names one of the family's cache
// directories (a home directory written as ~ or $HOME too).
func laterNames(text string, fam *laterFamily) bool {
	for _, d := range fam.dirs {
		frag := strings.TrimPrefix(d, "/root")
		if strings.Contains(text, frag) {
			return true
		}
	}
	return false
}

// laterMounts reports whether a RUN mounts something over or inside one
// of the family's cache directories.
func laterMounts(in *dockerfile.Instruction, fam *laterFamily) bool {
	for _, m := range in.Mounts() {
		if m.Target == "" && (m.Type == "secret" || m.Type == "ssh") {
			continue // under /run/secrets or /run/buildkit
		}
		t := path.Clean(m.Target)
		if m.Target == "" || !path.IsAbs(t) {
			return true
		}
		for _, d := range fam.dirs {
			if t == "/" || t == d || strings.HasPrefix(d, t+"/") || strings.HasPrefix(t, d+"/") {
				return true
			}
		}
	}
	return false
}

// laterQuiet reports whether an instruction between the RUN that filled
// a cache and the one that cleans it leaves the cache alone, so that the
// clean-up can run before it: a RUN must be parsed shell that does not
// use the family (see laterUses); COPY and ADD must not write to or over
// the cache directories; USER and SHELL change how the clean-up would
// run, and ENV may move the cache of a manager's clean command.
func laterQuiet(p *pass, in *dockerfile.Instruction, fam *laterFamily, onlyRm bool) bool {
	switch in.Cmd {
	case "run":
		scripts := p.Shell(in)
		if in.JSON || len(scripts) == 0 || len(scripts) != len(in.Scripts()) || laterNames(in.Original, fam) || laterMounts(in, fam) {
			return false
		}
		for _, rs := range scripts {
			if laterUses(rs.Commands, fam) {
				return false
			}
		}
		return true
	case "copy", "add":
		if len(in.Args) == 0 || laterNames(in.Original, fam) {
			return false
		}
		dest := dockerfile.TrimQuotes(in.Args[len(in.Args)-1])
		if dockerfile.HasVariable(dest) {
			return false
		}
		if !path.IsAbs(dest) {
			wd := in.Workdir()
			if wd == "" {
				return false
			}
			dest = path.Join(wd, dest)
		}
		dest = path.Clean(dest)
		for _, d := range fam.dirs {
			if dest == "/" || dest == d || strings.HasPrefix(d, dest+"/") || strings.HasPrefix(dest, d+"/") {
				return false
			}
		}
		return true
	case "user", "shell":
		return false
	case "env", "arg":
		return onlyRm
	}
	return true
}

// laterDelete returns the edits that remove the moving commands from the
// later RUN: the whole instruction when no command is left, otherwise
// each group of consecutive moving commands with the && that joins it to
// the rest. ok is false when the rest would not parse as the same
// commands.
func laterDelete(f *dockerfile.File, in *dockerfile.Instruction, rs *edit.Script, moving map[*shell.Command]bool) ([]edit.TextEdit, bool) {
	if len(moving) == len(rs.Commands) {
		for ln := in.StartLine + 1; ln <= in.EndLine; ln++ {
			if strings.HasPrefix(strings.TrimSpace(f.Lines[ln-1]), "#") {
				return nil, false // keep the comments: leave the RUN alone
			}
		}
		pos, end := edit.LineSpan(f, in.StartLine, in.EndLine)
		return []edit.TextEdit{{Pos: pos, End: end}}, true
	}
	m, ok := edit.ShellFormOffsets(f, in, rs)
	if !ok {
		return nil, false
	}
	src := rs.Source
	cmds := rs.Commands
	type cut struct{ pos, end int }
	var cuts []cut
	var want []string
	var wantJoin []shell.Join
	for i := 0; i < len(cmds); {
		if !moving[cmds[i]] {
			want = append(want, laterSig(cmds[i]))
			wantJoin = append(wantJoin, cmds[i].Join)
			i++
			continue
		}
		j := i
		for j+1 < len(cmds) && moving[cmds[j+1]] {
			j++
		}
		if i == 0 {
			if j+1 >= len(cmds) || cmds[i].Join != shell.JoinAnd || cmds[j].Join != shell.JoinAnd {
				return nil, false
			}
			cuts = append(cuts, cut{cmds[i].Pos.Offset, cmds[j+1].Pos.Offset})
		} else {
			// From the && before the group (past the previous command's
			// redirections) to the group's end.
			at := cmds[i].Pos.Offset
			k := strings.LastIndex(src[:at], "&&")
			if cmds[i-1].Join != shell.JoinAnd || k < 0 || strings.TrimSpace(src[k+2:at]) != "" {
				return nil, false
			}
			k = len(strings.TrimRight(src[:k], " \t\r\n"))
			cuts = append(cuts, cut{k, cmds[j].End.Offset})
			wantJoin[len(wantJoin)-1] = cmds[j].Join
		}
		i = j + 1
	}
	// Check the rest on the script text before touching the file.
	var b strings.Builder
	last := 0
	for _, c := range cuts {
		if c.pos < last || c.end < c.pos || c.end > len(src) {
			return nil, false
		}
		b.WriteString(src[last:c.pos])
		last = c.end
	}
	b.WriteString(src[last:])
	rest, err := shell.Parse(b.String())
	if err != nil || len(rest.Commands) != len(want) {
		return nil, false
	}
	for i, c := range rest.Commands {
		if laterSig(c) != want[i] || c.Join != wantJoin[i] {
			return nil, false
		}
	}
	var edits []edit.TextEdit
	for _, c := range cuts {
		pos, end := m(c.pos), m(c.end)
		if end < pos || strings.Contains(string(f.Source[pos:end]), "#") {
			return nil, false
		}
		edits = append(edits, edit.TextEdit{Pos: pos, End: end})
	}
	return edits, true
}

// laterSig sums up a command for comparing a script before and after an
// edit: its text, redirections and nesting.
func laterSig(c *shell.Command) string {
	var b strings.Builder
	b.WriteString(c.Text)
	for _, r := range c.Redirects {
		fmt.Fprintf(&b, "\x00%s%s%s", r.Fd, r.Op, r.Target.Raw)
	}
	fmt.Fprintf(&b, "\x00%v%v%v%v%v%v%v%v%d", c.InSubshell, c.InCmdSubst, c.InCondition, c.InBranch, c.InLoop, c.InFunction, c.Negated, c.InPipeline(), c.PipeStage)
	return b.String()
}
