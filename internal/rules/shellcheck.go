package rules

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// ShellCheck integration. SD002 runs the shellcheck program, when it is
// installed, on every POSIX-shell RUN script the way hadolint does (the
// dialect from SHELL or the heredoc's #!, the ARG and ENV names in force
// exported so that SC2154 does not fire for them) and reports each of
// its findings as a rule of its own, SCxxxx, whose severity is
// ShellCheck's level. Without the program it says once per file that the
// SC checks were skipped.

// shellcheckLookPath finds the shellcheck program; tests replace it.
var shellcheckLookPath = func() (string, error) { return exec.LookPath("shellcheck") }

// shellcheckTimeout bounds one shellcheck run; tests shorten it.
var shellcheckTimeout = 20 * time.Second

// Limits that keep the work per file bounded.
const (
	shellcheckMaxScript = 256 << 10 // larger scripts are not checked
	shellcheckMaxTotal  = 4 << 20   // nor scripts past this many bytes per file
	shellcheckMaxJobs   = 500       // nor more scripts than this per file
	shellcheckChunk     = 40        // scripts per shellcheck process
	shellcheckParallel  = 4         // shellcheck processes at a time per file
)

// shellcheckExcluded are the codes hadolint leaves out: SC2187 (ash is
// checked as dash) and SC1090 (a non-constant source needs a directive
// a Dockerfile cannot give).
var shellcheckExcluded = []string{"SC1090", "SC2187"}

// proxyVars are the predefined build arguments BuildKit passes to RUN
// without an ARG declaration.
var proxyVars = []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
	"NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

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
	run     shRun
	script  *edit.Script
	dialect string
	text    string // what shellcheck reads
	lines   int    // lines of the script itself (the exports follow)
}

// checkShellCheck is SD002's check.
func checkShellCheck(p *Pass) error {
	runs := shellRuns(p)
	if len(runs) == 0 {
		return nil
	}
	bin, err := shellcheckLookPath()
	if err != nil {
		p.ReportAt(1, 1, 0, "shellcheck is not installed: the ShellCheck (SC) checks of the RUN scripts were skipped (install the shellcheck package)")
		return nil
	}
	jobs, skipped := shellcheckJobs(runs)
	if skipped > 0 {
		p.ReportAt(1, 1, 0, "ShellCheck checked the first %d RUN scripts only: %d more were skipped to keep the lint quick", len(jobs), skipped)
	}
	// One shellcheck process per dialect and chunk of scripts, a few at a
	// time: ShellCheck takes some milliseconds per script, mostly waiting.
	type batch struct {
		dialect  string
		jobs     []*scJob
		comments []scComment
		err      error
	}
	byDialect := map[string][]*scJob{}
	var dialects []string
	for _, j := range jobs {
		if byDialect[j.dialect] == nil {
			dialects = append(dialects, j.dialect)
		}
		byDialect[j.dialect] = append(byDialect[j.dialect], j)
	}
	sort.Strings(dialects)
	var batches []*batch
	for _, d := range dialects {
		js := byDialect[d]
		for len(js) > 0 {
			n := min(len(js), shellcheckChunk)
			batches = append(batches, &batch{dialect: d, jobs: js[:n]})
			js = js[n:]
		}
	}
	sem := make(chan struct{}, shellcheckParallel)
	var wg sync.WaitGroup
	for _, b := range batches {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			b.comments, b.err = runShellcheck(bin, b.dialect, b.jobs)
		}()
	}
	wg.Wait()
	failed := false
	for _, b := range batches {
		if b.err != nil {
			if !failed {
				p.ReportAt(1, 1, 0, "shellcheck failed, the SC checks of some RUN scripts were skipped: %v", b.err)
			}
			failed = true
			continue
		}
		for _, c := range b.comments {
			reportShellcheckComment(p, b.jobs, c)
		}
	}
	return nil
}

// shellcheckJobs prepares the scripts of the file for shellcheck.
func shellcheckJobs(runs []shRun) (jobs []*scJob, skipped int) {
	total := 0
	for _, r := range runs {
		for _, sc := range r.scripts {
			if len(sc.Source) > shellcheckMaxScript || total+len(sc.Source) > shellcheckMaxTotal || len(jobs) >= shellcheckMaxJobs {
				skipped++
				continue
			}
			argv := r.shell
			if sc.Heredoc {
				if sb := shell.Shebang(sc.Source); sb != nil {
					argv = sb
				}
			}
			d := shellcheckDialect(argv)
			if d == "" {
				continue
			}
			exports := shellcheckExports(r, sc.Source)
			text := sc.Source
			lines := strings.Count(text, "\n")
			if !strings.HasSuffix(text, "\n") {
				text += "\n"
				lines++
			}
			if len(exports) > 0 {
				// After the script, so that its line numbers and any
				// file-wide "# shellcheck disable=" at its top keep their
				// meaning. ShellCheck does not read the order of
				// assignments for SC2154.
				text += "export " + strings.Join(exports, " ") + "\n"
			}
			total += len(sc.Source)
			jobs = append(jobs, &scJob{run: r, script: sc, dialect: d, text: text, lines: lines})
		}
	}
	return jobs, skipped
}

// varRefRE finds the variables a script refers to.
var varRefRE = regexp.MustCompile(`\$\{?[#!]?([A-Za-z_][A-Za-z0-9_]*)`)

// shellcheckExports returns NAME=1 words for the build arguments and
// environment variables the RUN sees, as hadolint defines them (plus
// secrets mounted as variables), limited to those the script refers to:
// the others cannot matter to ShellCheck.
func shellcheckExports(r shRun, src string) []string {
	refs := map[string]bool{}
	for _, m := range varRefRE.FindAllStringSubmatch(src, -1) {
		refs[m[1]] = true
	}
	if len(refs) == 0 {
		return nil
	}
	names := append([]string(nil), proxyVars...)
	names = append(names, r.declaredIn(refs)...)
	for _, m := range r.mounts() {
		if m.Type == "secret" {
			if env := m.Raw["env"]; env != "" {
				names = append(names, env)
			}
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if refs[n] && identRE.MatchString(n) && !seen[n] {
			seen[n] = true
			out = append(out, n+"=1")
		}
	}
	return out
}

// scComment is one finding in shellcheck's json1 output.
type scComment struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	EndLine   int    `json:"endLine"`
	Column    int    `json:"column"`
	EndColumn int    `json:"endColumn"`
	Level     string `json:"level"`
	Code      int    `json:"code"`
	Message   string `json:"message"`
}

// runShellcheck checks jobs (all of one dialect) with one shellcheck
// process and returns its findings, with File set to the job's index.
func runShellcheck(bin, dialect string, jobs []*scJob) ([]scComment, error) {
	dir, err := os.MkdirTemp("", "strata-shellcheck-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	args := []string{"--norc", "--format=json1", "--shell=" + dialect, "--severity=style",
		"--exclude=" + strings.Join(shellcheckExcluded, ",")}
	for i, j := range jobs {
		name := filepath.Join(dir, fmt.Sprintf("run%d.sh", i))
		if err := os.WriteFile(name, []byte(j.text), 0o600); err != nil {
			return nil, err
		}
		args = append(args, name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), shellcheckTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("shellcheck did not finish within %s", shellcheckTimeout)
	}
	var out struct {
		Comments []scComment `json:"comments"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" && runErr != nil {
			msg = runErr.Error()
		}
		if msg == "" {
			msg = err.Error()
		}
		return nil, errors.New(firstLine(msg))
	}
	index := map[string]int{}
	for i := range jobs {
		index[filepath.Join(dir, fmt.Sprintf("run%d.sh", i))] = i
	}
	var res []scComment
	for _, c := range out.Comments {
		i, ok := index[c.File]
		if !ok {
			continue
		}
		c.File = strconv.Itoa(i)
		res = append(res, c)
	}
	return res, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// reportShellcheckComment reports one ShellCheck finding at its
// Dockerfile line.
func reportShellcheckComment(p *Pass, jobs []*scJob, c scComment) {
	i, err := strconv.Atoi(c.File)
	if err != nil || i < 0 || i >= len(jobs) {
		return
	}
	j := jobs[i]
	if c.Line < 1 || c.Line > j.lines {
		return // on the export line strata added
	}
	if j.run.onbuild && c.Code == 2154 {
		// An ONBUILD RUN sees the variables of the image built on
		// this one, which are unknown here.
		return
	}
	line, col := shellcheckPosition(p.File, j, c.Line, c.Column)
	endLine := line
	if c.EndLine > c.Line && c.EndLine <= j.lines {
		if l, _ := shellcheckPosition(p.File, j, c.EndLine, c.EndColumn); l >= line {
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
	if m := newScriptMap(f, outer, j.run.run, j.script); m != nil {
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
