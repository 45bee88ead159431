package rules

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// ShellCheck integration. SD002 runs the shellcheck program, when it is
// installed, on every POSIX-shell RUN script the way hadolint does: the
// script ShellCheck reads starts with a #! line naming the dialect (from
// SHELL, the heredoc's own #!, or a "# hadolint shell=" pragma), then
// one line exporting the proxy variables BuildKit predefines and every
// ARG and ENV name in force (so that ShellCheck takes their values for
// plain words: no SC2086 or SC2154 for them, SC2153 for a misspelling),
// then the RUN's script. The codes hadolint leaves out are left out.
// Each finding is reported as a rule of its own, SCxxxx, whose severity
// is ShellCheck's level, at its exact line and column in the Dockerfile.
// Without the program SD002 says that the SC checks were skipped (a lint
// run of several files says it once).
//
// One shellcheck process reads all the scripts of a file (each a file of
// its own, so that each keeps its dialect and names), and runs while the
// other rules do; a run of several files shares the processes (see
// ShellCheck in shellcheckrun.go).

// Limits that keep the work per file bounded.
const (
	shellcheckMaxScript = 256 << 10 // larger scripts are not checked
	shellcheckMaxTotal  = 4 << 20   // nor scripts past this many bytes per file
	shellcheckMaxJobs   = 500       // nor more scripts than this per file
)

// shellcheckExcluded are the codes hadolint leaves out: SC2187 (ash is
// checked as dash), SC1090 (a non-constant source needs a directive a
// Dockerfile cannot give) and SC1091 (the sourced file is in the image,
// not beside the Dockerfile).
var shellcheckExcluded = []string{"SC1090", "SC1091", "SC2187"}

// proxyVars are the predefined build arguments BuildKit passes to RUN
// without an ARG declaration (hadolint knows the first eight).
var proxyVars = []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
	"NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"}

var identRE = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

// scRules caches the per-code rules so that every finding of a code
// shares one *Rule.
var scRules sync.Map // "SC2086" -> *Rule

// ShellCheckRule returns the rule strata reports ShellCheck's code id
// under ("SC2086", any case), or nil when id is not a ShellCheck code.
func ShellCheckRule(id string) *Rule {
	id = strings.ToUpper(strings.TrimSpace(id))
	n, err := strconv.Atoi(strings.TrimPrefix(id, "SC"))
	if !strings.HasPrefix(id, "SC") || err != nil || n < 1000 || n > 9999 {
		return nil
	}
	return shellCheckRule(n, "")
}

// shellCheckRule returns the rule for code n; level is ShellCheck's level
// for it, used as the default severity when the rule is first made.
func shellCheckRule(n int, level string) *Rule {
	id := fmt.Sprintf("SC%d", n)
	if r, ok := scRules.Load(id); ok {
		return r.(*Rule)
	}
	sev := vocab.Warning
	if level != "" {
		sev = shellcheckSeverity(level)
	}
	url := "https://www.shellcheck.net/wiki/" + id
	r := &Rule{
		ID:       id,
		Name:     "shellcheck",
		Severity: sev,
		Category: vocab.Correctness,
		Doc: Doc{
			Summary: "ShellCheck " + id + ", found in a RUN script. See " + url + ".",
			Why: "Reported by ShellCheck, which strata runs on the shell of each RUN (see SD002). " +
				"The ShellCheck wiki explains the problem and its fix: " + url + ".",
		},
		// Check is never run: the rule is not in All(). It is set so that
		// the engine's configuration handling treats the rule as live.
		Check: func(*Pass) error { return nil },
	}
	actual, _ := scRules.LoadOrStore(id, r)
	return actual.(*Rule)
}

// shellcheckSeverity maps ShellCheck's levels to strata's severities.
func shellcheckSeverity(level string) vocab.Severity {
	switch level {
	case "error":
		return vocab.Error
	case "warning":
		return vocab.Warning
	case "info":
		return vocab.Info
	}
	return vocab.Style
}

// shellcheckDialect returns the --shell value for a shell argv or #!
// line, "" when ShellCheck cannot check that shell (zsh, fish, ...).
func shellcheckDialect(argv []string) string {
	for _, a := range argv {
		if strings.HasPrefix(a, "-") {
			continue
		}
		switch strings.ToLower(strings.TrimSuffix(baseNameAny(a), ".exe")) {
		case "env":
			continue
		case "sh", "posh", "yash", "hush":
			return "sh"
		case "bash":
			return "bash"
		case "dash", "ash", "busybox":
			return "dash"
		case "ksh", "ksh93", "mksh", "pdksh", "oksh", "lksh":
			return "ksh"
		}
		return ""
	}
	return "sh"
}

// scJob is one script to check.
type scJob struct {
	run    shRun
	script *edit.Script
	// text is what shellcheck reads: the script with a #! line before it
	// unless it has its own, and the export line after its #! and leading
	// comment lines (so that a "# shellcheck disable=" there still
	// applies to the whole script).
	text string
	// shebang is 1 when strata wrote the #! line, exportLine the line of
	// text holding the exports (0 for none) and lines the number of lines
	// of the script itself.
	shebang, exportLine, lines int
	// smap maps the script to the Dockerfile; made on first use.
	smap     *scriptMap
	smapDone bool
}

// scriptMap returns the map from the script to the Dockerfile, nil when
// the script cannot be located exactly.
func (j *scJob) scriptMap(f *dockerfile.File) *scriptMap {
	if !j.smapDone {
		j.smap, j.smapDone = newScriptMap(f, j.run.outer, j.run.run, j.script), true
	}
	return j.smap
}

// scriptLine returns the line of the script that line n of the text is,
// or 0 for a line strata added.
func (j *scJob) scriptLine(n int) int {
	if j.exportLine > 0 {
		if n == j.exportLine {
			return 0
		}
		if n > j.exportLine {
			n--
		}
	}
	n -= j.shebang
	if n < 1 || n > j.lines {
		return 0
	}
	return n
}

// atEnd moves a position at the end of the text (the line after the
// script's last, where ShellCheck puts what it misses at the end of the
// input, such as a missing "}") to the end of the script's last line.
func (j *scJob) atEnd(line, col int) (int, int) {
	if j.lines == 0 || j.scriptLine(line) != 0 || j.scriptLine(line-1) != j.lines {
		return line, col
	}
	src := strings.TrimSuffix(j.script.Source, "\n")
	last := src[strings.LastIndexByte(src, '\n')+1:]
	return line - 1, utf8.RuneCountInString(last) + 1
}

// checkShellCheck is SD002's check. It hands the scripts to shellcheck
// and reports the findings once every other rule of the file has run.
func checkShellCheck(p *Pass) error {
	runs := shellRuns(p)
	if len(runs) == 0 {
		return nil
	}
	sc := p.shellcheck
	own := sc == nil
	if own {
		sc = NewShellCheck()
	}
	if _, err := sc.program(); err != nil {
		if own {
			sc.Close()
		}
		p.ReportAt(1, 1, 0, "%s", shellcheckMissing)
		return nil
	}
	jobs, skipped := shellcheckJobs(p.File, runs)
	if skipped > 0 {
		p.ReportAt(1, 1, 0, "ShellCheck checked the first %d RUN scripts only: %d more were skipped to keep the lint quick", len(jobs), skipped)
	}
	texts := make([]string, len(jobs))
	for i, j := range jobs {
		texts[i] = j.text
	}
	inputs := sc.submit(texts)
	p.Later(func(ctx context.Context) error {
		if own {
			defer sc.Close()
		}
		failed := false
		for i, j := range jobs {
			comments, err := inputs[i].wait(ctx)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil {
				if !failed {
					p.ReportAt(1, 1, 0, "shellcheck failed, the SC checks of some RUN scripts were skipped: %v", err)
				}
				failed = true
				continue
			}
			for _, c := range comments {
				reportShellcheckComment(p, j, c)
			}
		}
		return nil
	})
	return nil
}

// shellcheckJobs prepares the scripts of the file for shellcheck.
func shellcheckJobs(f *dockerfile.File, runs []shRun) (jobs []*scJob, skipped int) {
	pragmas := shellPragmas(f)
	total := 0
	for _, r := range runs {
		argv := r.shell
		if name, ok := pragmas[r.outer]; ok {
			argv = []string{name}
		}
		for _, sc := range r.scripts {
			if len(sc.Source) > shellcheckMaxScript || total+len(sc.Source) > shellcheckMaxTotal || len(jobs) >= shellcheckMaxJobs {
				skipped++
				continue
			}
			own := sc.Heredoc && shell.Shebang(sc.Source) != nil
			d := shellcheckDialect(argv)
			if own {
				d = shellcheckDialect(shell.Shebang(sc.Source))
			}
			if d == "" {
				continue
			}
			total += len(sc.Source)
			jobs = append(jobs, newScJob(r, sc, d, own, shellcheckExports(r, sc.Source)))
		}
	}
	return jobs, skipped
}

// newScJob writes the text shellcheck reads for one script: the #! line
// (the script's own when it has one), the script's leading comment
// lines, the exports (NAME=1 words), the rest of the script.
func newScJob(r shRun, sc *edit.Script, dialect string, ownShebang bool, exports []string) *scJob {
	src := sc.Source
	j := &scJob{run: r, script: sc, lines: strings.Count(src, "\n")}
	if !strings.HasSuffix(src, "\n") {
		j.lines++
	}
	var b strings.Builder
	b.Grow(len(src) + 16*len(exports) + 16)
	if !ownShebang {
		b.WriteString("#!/bin/" + dialect + "\n")
		j.shebang = 1
	}
	// The leading lines that are comments (the #! line too) or blank.
	head, line := 0, 0
	for head < len(src) {
		end := strings.IndexByte(src[head:], '\n')
		if end < 0 {
			break
		}
		t := strings.TrimSpace(src[head : head+end])
		if t != "" && !strings.HasPrefix(t, "#") {
			break
		}
		head += end + 1
		line++
	}
	b.WriteString(src[:head])
	if len(exports) > 0 {
		b.WriteString("export " + strings.Join(exports, " ") + "\n")
		j.exportLine = j.shebang + line + 1
	}
	b.WriteString(src[head:])
	if !strings.HasSuffix(src, "\n") {
		b.WriteByte('\n')
	}
	j.text = b.String()
	return j
}

// shellcheckExports returns NAME=1 words, sorted, for the names a RUN
// sees without declaring them: BuildKit's proxy variables, the ARG and
// ENV names in force (hadolint's set) and secrets mounted as variables.
// An ONBUILD RUN runs in the images built FROM this one, which keep the
// ENV variables and not the ARGs.
//
// hadolint exports every such name; ShellCheck's time grows with each
// one (some milliseconds for a dozen), and a name changes what it says
// only when the script refers to it or when it is what ShellCheck
// proposes for a misspelt reference (SC2153, and the tip of SC2154):
// a name of more than three characters at most two edits away, ignoring
// case, from one the script uses. So only those names are exported, which
// gives the same findings.
func shellcheckExports(r shRun, src string) []string {
	words := identWords(src)
	if r.namesBound() > scMaxNearNames {
		// Listing every name for each RUN would cost time growing with
		// the square of a long chain of stages: past the bound, only the
		// names the script uses are exported (no tip for a misspelt one).
		return exportWords(uniqueNames(append(scFixedNames(r), r.declaredWords(words)...)))
	}
	names := shellcheckNames(r)
	declared := make(map[string]bool, len(names))
	for _, n := range names {
		declared[n] = true
	}
	var out []string
	for _, n := range names {
		if words[n] || len(n) > 3 && nearWord(n, words, declared) {
			out = append(out, n+"=1")
		}
	}
	return out
}

// scMaxNearNames bounds the names in force for which shellcheckExports
// looks for misspelt references; no real Dockerfile comes near it.
const scMaxNearNames = 1000

// exportWords returns NAME=1 for each name.
func exportWords(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n + "=1"
	}
	return out
}

// shellcheckNames returns every name hadolint would export for the RUN,
// sorted, each once.
func shellcheckNames(r shRun) []string {
	names := scFixedNames(r)
	if r.onbuild {
		names = append(names, envNames(r.vars)...)
	} else {
		r.declared.Range(func(n string) { names = append(names, n) })
	}
	return uniqueNames(names)
}

// scFixedNames returns the names exported whatever the variables in
// force: BuildKit's proxy variables and the secrets the RUN mounts as
// variables.
func scFixedNames(r shRun) []string {
	names := append([]string(nil), proxyVars...)
	for _, m := range r.mounts() {
		if m.Type == "secret" {
			if env := m.Raw["env"]; env != "" {
				names = append(names, env)
			}
		}
	}
	return names
}

// uniqueNames sorts names and keeps each valid name once.
func uniqueNames(names []string) []string {
	sort.Strings(names)
	out := names[:0]
	for i, n := range names {
		if (i == 0 || n != names[i-1]) && identRE.MatchString(n) {
			out = append(out, n)
		}
	}
	return out
}

// namesBound returns at least the number of ARG and ENV names in force
// at the RUN (more when a stage sets a name twice), in constant time.
func (r shRun) namesBound() int {
	if r.onbuild {
		if r.vars == nil || r.vars.tl == nil {
			return 0
		}
		return r.vars.tl.base.Len() + len(r.vars.tl.order)
	}
	return r.declared.base.Len() + len(r.declared.own)
}

// declaredWords returns the words that are ARG or ENV names in force at
// the RUN (ENV names only for an ONBUILD RUN).
func (r shRun) declaredWords(words map[string]bool) []string {
	var out []string
	for w := range words {
		var ok bool
		if r.onbuild {
			ok = r.vars != nil && r.vars.tl != nil && r.vars.tl.isEnv(w, r.vars.pos)
		} else {
			_, ok = r.declared.Get(w)
		}
		if ok {
			out = append(out, w)
		}
	}
	return out
}

// identWords returns the words of src that could be variable names.
func identWords(src string) map[string]bool {
	out := map[string]bool{}
	for i := 0; i < len(src); {
		c := src[i]
		if c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
			j := i + 1
			for j < len(src) && (src[j] == '_' || src[j] >= 'A' && src[j] <= 'Z' || src[j] >= 'a' && src[j] <= 'z' || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			out[src[i:j]] = true
			i = j
			continue
		}
		if c >= '0' && c <= '9' {
			for i < len(src) && (src[i] == '_' || src[i] >= 'A' && src[i] <= 'Z' || src[i] >= 'a' && src[i] <= 'z' || src[i] >= '0' && src[i] <= '9') {
				i++
			}
			continue
		}
		i++
	}
	return out
}

// nearWord reports whether name is at most two edits away, ignoring
// case, from a word that is not itself declared.
func nearWord(name string, words, declared map[string]bool) bool {
	ln := strings.ToLower(name)
	for w := range words {
		if declared[w] || len(w) < len(name)-2 || len(w) > len(name)+2 {
			continue
		}
		if editsWithin(ln, strings.ToLower(w), 2) {
			return true
		}
	}
	return false
}

// editsWithin reports whether the edit distance (insertions, deletions,
// substitutions) between a and b is at most k.
func editsWithin(a, b string, k int) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > k {
		return false
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > k {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(b)] <= k
}

// envNames returns the ENV variables in force at v: those of the stage
// before it and those inherited from its base stage.
func envNames(v *shVars) []string {
	if v == nil || v.tl == nil {
		return nil
	}
	var out []string
	v.tl.base.Range(func(n, _ string) bool {
		out = append(out, n)
		return true
	})
	for _, n := range v.tl.order {
		if v.tl.isEnv(n, v.pos) {
			out = append(out, n)
		}
	}
	return out
}

// shellPragmas returns the shell named by a "# hadolint shell=NAME" (or
// "# strata shell=NAME") comment for the instructions it governs, as
// hadolint reads it: the pragma sets the shell ShellCheck uses for the
// RUNs after it, until a SHELL instruction or the next FROM; written
// before the first FROM it holds for every stage. A PowerShell or cmd
// name switches ShellCheck off for those RUNs.
func shellPragmas(f *dockerfile.File) map[*dockerfile.Instruction]string {
	var out map[*dockerfile.Instruction]string
	global, cur, ci := "", "", 0
	seenFrom := false
	for _, in := range f.Instructions {
		for ; ci < len(f.Comments) && f.Comments[ci].Line < in.StartLine; ci++ {
			if name, ok := shellPragma(f.Comments[ci].Text); ok {
				cur = name
				if !seenFrom {
					global = name
				}
			}
		}
		switch in.Cmd {
		case "from":
			seenFrom, cur = true, global
		case "shell":
			cur = ""
		}
		if cur != "" {
			if out == nil {
				out = map[*dockerfile.Instruction]string{}
			}
			out[in] = cur
		}
	}
	return out
}

// shellPragma parses "hadolint shell=NAME" (spaces around "=" allowed,
// anything after NAME ignored) and the same with "strata".
func shellPragma(text string) (string, bool) {
	rest, ok := strings.CutPrefix(text, "hadolint")
	if !ok {
		if rest, ok = strings.CutPrefix(text, "strata"); !ok {
			return "", false
		}
	}
	t := strings.TrimLeft(rest, " \t")
	if len(t) == len(rest) {
		return "", false
	}
	t, ok = strings.CutPrefix(t, "shell")
	if !ok {
		return "", false
	}
	t, ok = strings.CutPrefix(strings.TrimLeft(t, " \t"), "=")
	if !ok {
		return "", false
	}
	name, _, _ := strings.Cut(strings.TrimLeft(t, " \t"), " ")
	name, _, _ = strings.Cut(name, "\t")
	if name == "" {
		return "", false
	}
	return name, true
}

// reportShellcheckComment reports one ShellCheck finding, c's lines being
// lines of the job's text, at its Dockerfile line.
func reportShellcheckComment(p *Pass, j *scJob, c scComment) {
	c.Line, c.Column = j.atEnd(c.Line, c.Column)
	c.EndLine, c.EndColumn = j.atEnd(c.EndLine, c.EndColumn)
	sl := j.scriptLine(c.Line)
	if sl == 0 {
		return // on a line strata added
	}
	if j.run.onbuild && c.Code == 2154 {
		// An ONBUILD RUN sees the variables of the image built on
		// this one, which are unknown here.
		return
	}
	line, col := shellcheckPosition(p.File, j, sl, c.Column)
	endLine := line
	if el := j.scriptLine(c.EndLine); el > sl {
		if l, _ := shellcheckPosition(p.File, j, el, c.EndColumn); l >= line {
			endLine = l
		}
	}
	r := shellCheckRule(c.Code, c.Level)
	p.report(Diagnostic{
		Rule:        r,
		Message:     c.Message,
		Line:        line,
		EndLine:     endLine,
		Column:      col,
		Instruction: j.run.outer,
	})
}

// shellcheckPosition maps a line and column of a script (column counted
// in characters, a tab counting one, as json1 does) to the Dockerfile
// line and byte column, falling back to line arithmetic (heredoc bodies)
// or the RUN's first line when the script cannot be located exactly.
func shellcheckPosition(f *dockerfile.File, j *scJob, line, col int) (int, int) {
	src := j.script.Source
	start := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(src[start:], '\n')
		if i < 0 {
			start = len(src)
			break
		}
		start += i + 1
	}
	off := start
	for n := 1; n < col && off < len(src) && src[off] != '\n'; n++ {
		_, size := utf8.DecodeRuneInString(src[off:])
		off += size
	}
	outer := j.run.outer
	if m := j.scriptMap(f); m != nil {
		if fo, ok := m.at(off); ok {
			fl := bytes.Count(f.Source[:fo], []byte("\n")) + 1
			return fl, fo - f.Offset(fl, 1) + 1
		}
		if off > 0 {
			if fo, ok := m.after(off); ok {
				fl := bytes.Count(f.Source[:fo-1], []byte("\n")) + 1
				return fl, 0
			}
		}
	}
	fl := outer.StartLine
	if j.script.Heredoc {
		fl = j.script.Line + line - 1
	} else if line > 1 {
		fl = outer.StartLine + line - 1
	}
	if fl > outer.EndLine {
		fl = outer.EndLine
	}
	if fl < outer.StartLine {
		fl = outer.StartLine
	}
	return fl, 0
}
