package rules

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// sd002 runs SD002 alone over src with the ShellCheck sc.
func sd002(t *testing.T, src string, sc *ShellCheck) []Diagnostic {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), f, &BuildContext{}, Options{Rules: []*Rule{SD002}, ShellCheck: sc})
	if err != nil {
		t.Fatal(err)
	}
	return res.Diagnostics
}

// fakeShellCheck returns a ShellCheck whose program is path (err: not
// found), closed when the test ends.
func fakeShellCheck(t *testing.T, path string, err error, timeout time.Duration) *ShellCheck {
	t.Helper()
	sc := newShellCheck(func() (string, error) { return path, err }, timeout)
	t.Cleanup(sc.Close)
	return sc
}

func TestShellCheckMissing(t *testing.T) {
	sc := fakeShellCheck(t, "", errors.New("not found"), time.Minute)
	ds := sd002(t, "FROM debian:12\nRUN echo $HOME\nRUN echo $PWD\n", sc)
	if len(ds) != 1 || ds[0].Rule != SD002 || ds[0].Line != 1 || ds[0].Severity != vocab.Info || !strings.Contains(ds[0].Message, "skipped") {
		t.Fatalf("want one SD002 info notice on line 1, got %+v", ds)
	}
	if !PerRun(ds[0].Rule.ID, ds[0].Message) {
		t.Error("the notice that shellcheck is missing is not a run notice")
	}
	// Nothing was skipped: no notice.
	if ds := sd002(t, "FROM debian:12\nCMD [\"true\"]\n", sc); len(ds) != 0 {
		t.Fatalf("notice without RUN: %+v", ds)
	}
}

// fakeShellcheck writes an executable script standing in for shellcheck.
func fakeShellcheck(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "shellcheck")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestShellCheckFailures(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	t.Run("hangs", func(t *testing.T) {
		sc := fakeShellCheck(t, fakeShellcheck(t, "exec sleep 30"), nil, 200*time.Millisecond)
		start := time.Now()
		ds := sd002(t, "FROM debian:12\nRUN echo $HOME\n", sc)
		if time.Since(start) > 10*time.Second {
			t.Fatalf("a hanging shellcheck held the lint for %s", time.Since(start))
		}
		if len(ds) != 1 || ds[0].Rule != SD002 || !strings.Contains(ds[0].Message, "did not finish") {
			t.Fatalf("want a timeout notice, got %+v", ds)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		sc := fakeShellCheck(t, fakeShellcheck(t, "echo 'not json'; echo 'boom' >&2; exit 3"), nil, time.Minute)
		ds := sd002(t, "FROM debian:12\nRUN echo $HOME\n", sc)
		if len(ds) != 1 || ds[0].Rule != SD002 || !strings.Contains(ds[0].Message, "boom") {
			t.Fatalf("want a failure notice, got %+v", ds)
		}
	})
	t.Run("positions outside the script", func(t *testing.T) {
		// Findings on the #! and export lines strata writes before the
		// script, or on lines and files that do not exist, are dropped.
		out := `{"comments":[` +
			`{"file":"FILE","line":1,"endLine":1,"column":1,"endColumn":2,"level":"error","code":1000,"message":"on the #! line"},` +
			`{"file":"FILE","line":2,"endLine":2,"column":1,"endColumn":2,"level":"error","code":1000,"message":"on the export line"},` +
			`{"file":"FILE","line":99,"endLine":99,"column":1,"endColumn":2,"level":"error","code":1000,"message":"far away"},` +
			`{"file":"/nowhere","line":1,"endLine":1,"column":1,"endColumn":2,"level":"error","code":1000,"message":"other file"},` +
			`{"file":"FILE","line":3,"endLine":3,"column":500,"endColumn":501,"level":"style","code":2250,"message":"past the end"}]}`
		sc := fakeShellCheck(t, fakeShellcheck(t, `for a; do f="$a"; done; printf '%s' '`+out+`' | sed "s|FILE|$f|g"; exit 1`), nil, time.Minute)
		ds := sd002(t, "FROM debian:12\nARG x\nRUN echo $HOME $x\n", sc)
		if len(ds) != 1 || ds[0].Rule.ID != "SC2250" || ds[0].Line != 3 {
			t.Fatalf("want only SC2250 on line 3, got %+v", ds)
		}
	})
}

func TestShellcheckDialect(t *testing.T) {
	for _, c := range []struct {
		argv []string
		want string
	}{
		{nil, "sh"},
		{[]string{"/bin/sh", "-c"}, "sh"},
		{[]string{"/bin/bash", "-o", "pipefail", "-c"}, "bash"},
		{[]string{"/usr/bin/env", "bash"}, "bash"},
		{[]string{"/bin/ash", "-eo", "pipefail", "-c"}, "dash"},
		{[]string{"busybox", "sh", "-c"}, "dash"},
		{[]string{"/bin/mksh", "-c"}, "ksh"},
		{[]string{"/bin/zsh", "-c"}, ""},
		{[]string{"powershell", "-Command"}, ""},
	} {
		if got := shellcheckDialect(c.argv); got != c.want {
			t.Errorf("shellcheckDialect(%q) = %q, want %q", c.argv, got, c.want)
		}
	}
}

// TestScriptMap checks that every byte of a RUN script maps back to the
// same byte of the Dockerfile.
func TestScriptMap(t *testing.T) {
	for _, src := range []string{
		"FROM debian:12\nRUN apt-get update \\\n # comment\n\n && apt-get install -y \\   \n      curl   \n",
		"\xef\xbb\xbfRUN echo a \\\n  b\n",
		"FROM debian:12\r\nRUN echo a \\\r\n  && echo b\r\n",
		"# escape=`\nFROM debian:12\nRUN echo a `\n  && echo b\n",
		"FROM debian:12\nONBUILD   RUN --mount=type=cache,target=/x   echo  a \\\n b\n",
		"FROM debian:12\nRUN <<EOF\necho a\n  echo b\nEOF\n",
		"FROM debian:12\nRUN cat <<A > /a && cat <<B > /b\nfirst\nA\nsecond\nB\n",
	} {
		f, err := dockerfile.Parse("Dockerfile", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		fx := newFacts(f)
		p := &Pass{File: f, facts: fx}
		n := 0
		for _, in := range f.Instructions {
			run := in
			if in.Trigger != nil {
				run = in.Trigger
			}
			for _, rs := range p.Shell(in) {
				m := newScriptMap(f, in, run, rs)
				if m == nil {
					t.Errorf("no map for %q in %q", rs.Source, src)
					continue
				}
				n++
				for i := 0; i < len(rs.Source); i++ {
					off, ok := m.at(i)
					if !ok {
						// Only the synthetic newlines and delimiters of
						// "RUN cmd <<EOF" scripts may be unmapped.
						if len(run.Heredocs) == 0 || rs.Heredoc {
							t.Errorf("byte %d (%q) of %q unmapped", i, rs.Source[i], rs.Source)
						}
						continue
					}
					if f.Source[off] != rs.Source[i] {
						t.Errorf("byte %d of %q maps to %q", i, rs.Source, f.Source[off])
					}
				}
			}
		}
		if n == 0 {
			t.Errorf("no script in %q", src)
		}
	}
}

// shellRules are hadolint's rules that read the shell of RUN, and SD002
// (ShellCheck).
var shellRules = []*Rule{
	DL3001, DL3003, DL3004, DL3008, DL3009, DL3010,
	DL3013, DL3014, DL3015, DL3016, DL3018, DL3019,
	DL3027, DL3028, DL3030, DL3032, DL3033, DL3034, DL3035, DL3036, DL3037, DL3038,
	DL3040, DL3041, DL3042, DL3046, DL3047, DL3060, DL3062,
	DL4001, DL4005, DL4006,
	SD002,
}

// FuzzShellRules drives the shell rules with arbitrary Dockerfiles: no
// input may make them panic or report a position or a fix edit outside
// the file. FuzzLint covers every rule; this target keeps the shell
// family fuzzable on its own and fast: instead of running shellcheck it
// maps made-up ShellCheck positions of every script back to the file.
func FuzzShellRules(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/lint/*.Dockerfile")
	for _, p := range seeds {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("FROM a\nRUN apt-get update \\\n # c\n && apt-get install x\nRUN <<EOF\napt install y\nEOF\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := dockerfile.Parse("fuzz", src)
		if err != nil {
			return
		}
		fx := newFacts(file)
		for _, r := range shellRules {
			var found []Diagnostic
			p := &Pass{Rule: r, File: file, Context: &BuildContext{}, Settings: &Settings{}, facts: fx,
				report: func(d Diagnostic) { found = append(found, d) }}
			if r == SD002 {
				jobs, _ := shellcheckJobs(file, shellRuns(p))
				for _, j := range jobs {
					last := strings.Count(j.text, "\n") + 1
					for _, pos := range [][2]int{{1, 1}, {last, 1}, {2, 1 << 20}, {last - 1, 3}, {last/2 + 1, 7}, {0, 1}} {
						reportShellcheckComment(p, j, scComment{Line: pos[0], EndLine: last,
							Column: pos[1], EndColumn: 2, Level: "info", Code: 2086, Message: "x"})
					}
				}
			} else {
				if err := r.Check(p); err != nil { // no recover: a panic fails the fuzz run
					t.Fatalf("%s: %v", r.ID, err)
				}
			}
			for _, d := range found {
				if d.Line < 1 || d.Line > len(file.Lines)+1 || d.EndLine < d.Line {
					t.Fatalf("%s reported at lines %d-%d of a %d-line file", d.Rule.ID, d.Line, d.EndLine, len(file.Lines))
				}
				if d.Fix == nil {
					continue
				}
				for _, e := range d.Fix.Edits {
					if e.Pos < 0 || e.End < e.Pos || e.End > len(file.Source) {
						t.Fatalf("%s fix edit [%d,%d) outside the %d-byte source", d.Rule.ID, e.Pos, e.End, len(file.Source))
					}
				}
			}
		}
	})
}

// TestShellCheckExportsExact checks that exporting only the names that can
// matter gives ShellCheck's findings for hadolint's full list of names, on
// every RUN of the lint test data and on cases made for it (misspellings,
// arithmetic, a name used only in a directive).
func TestShellCheckExportsExact(t *testing.T) {
	if _, err := exec.LookPath("shellcheck"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("shellcheck is not installed on CI (install the shellcheck package)")
		}
		t.Skip("shellcheck is not installed")
	}
	var srcs []string
	paths, _ := filepath.Glob("testdata/lint/*.Dockerfile")
	if testing.Short() && len(paths) > 60 {
		paths = paths[:60]
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, string(b))
	}
	srcs = append(srcs,
		"FROM debian:12\nARG PYTHON_VERSION VERSION_ID build_dir\nENV APP_HOME=/app\n"+
			"RUN echo \"$PYTHON_VERSON\" \"$APP_HOM\" \"$version_id\" \"$buid_dir\" $((count + 1)) && (( other++ ))\n"+
			"RUN echo \"$HTTPS_PROXI\" ${no_prox:-x} \"$all_proxyy\"\n",
		"FROM debian:12\nARG abcd abce\nRUN echo \"$abcf\"\n",
		"FROM debian:12\nENV LONG_NAME_HERE=1\nONBUILD RUN echo $LONG_NAME_HER\n",
	)
	sc := NewShellCheck()
	defer sc.Close()
	var jobs []*scJob
	for i, src := range srcs {
		f, err := dockerfile.Parse(fmt.Sprintf("case%d", i), []byte(src))
		if err != nil {
			continue
		}
		p := &Pass{File: f, facts: newFacts(f)}
		js, _ := shellcheckJobs(f, shellRuns(p))
		for _, j := range js {
			var all []string
			for _, n := range shellcheckNames(j.run) {
				all = append(all, n+"=1")
			}
			hl := newScJob(j.run, j.script, strings.TrimPrefix(firstLine(j.text), "#!/bin/"), j.shebang == 0, all)
			jobs = append(jobs, j, hl)
		}
	}
	if len(jobs) < 60 {
		t.Fatalf("only %d scripts: the comparison shows little", len(jobs)/2)
	}
	var texts []string
	for _, j := range jobs {
		texts = append(texts, j.text)
	}
	inputs := sc.submit(texts)
	// findings returns a job's findings by script line.
	findings := func(k int) []string {
		cs, err := inputs[k].wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, fmt.Sprintf("%d:%d-%d:%d SC%d %s", jobs[k].scriptLine(c.Line), c.Column,
				jobs[k].scriptLine(c.EndLine), c.EndColumn, c.Code, c.Message))
		}
		sort.Strings(out)
		return out
	}
	differ, found, misspelt := 0, 0, 0
	for k := 0; k < len(jobs); k += 2 {
		got, want := findings(k), findings(k+1)
		found += len(want)
		for _, w := range want {
			if strings.Contains(w, "SC2153") || strings.Contains(w, "did you mean") {
				misspelt++
			}
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			differ++
			t.Errorf("script\n%s\nwith the names that matter:\n%s\nwith every name:\n%s", jobs[k].script.Source,
				strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	if found == 0 || misspelt < 5 {
		t.Fatalf("%d findings, %d about misspelt names: the comparison shows little", found, misspelt)
	}
	t.Logf("%d scripts, %d findings (%d about misspelt names), %d differ", len(jobs)/2, found, misspelt, differ)
}

// TestShellCheckRunner checks the runner with a stand-in for shellcheck
// that reports the last line of each file it reads: every input gets its
// own findings, a text submitted twice is read once, and processes stop
// at the limits.
func TestShellCheckRunner(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	log := filepath.Join(t.TempDir(), "log")
	prog := fakeShellcheck(t, `n=0; printf '{"comments":['; sep=
for a; do case $a in *.sh) n=$((n+1)); printf '%s{"file":"%s","line":1,"endLine":1,"column":1,"endColumn":2,"level":"info","code":2086,"message":"%s"}' "$sep" "$a" "$(tail -n 1 "$a")"; sep=,;; esac; done
printf ']}'; echo "$n" >>`+log)
	sc := fakeShellCheck(t, prog, nil, time.Minute)
	sc.procs = 2
	var texts []string
	for i := range 60 {
		texts = append(texts, fmt.Sprintf("#!/bin/sh\necho %d\n", i%40))
	}
	// A script big enough to get a process of its own.
	texts = append(texts, "#!/bin/sh\n"+strings.Repeat("# padding\n", 30000)+"echo big\n")
	inputs := sc.submit(texts[:30])
	inputs = append(inputs, sc.submit(texts[30:])...)
	for i, in := range inputs {
		cs, err := in.wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := "echo big"
		if i < 60 {
			want = fmt.Sprintf("echo %d", i%40)
		}
		if len(cs) != 1 || cs[0].Message != want {
			t.Fatalf("input %d: findings %+v, want one saying %q", i, cs, want)
		}
	}
	sc.Close()
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	read, procs := 0, 0
	for _, f := range strings.Fields(string(b)) {
		n, _ := strconv.Atoi(f)
		read += n
		procs++
	}
	if read != 41 {
		t.Errorf("shellcheck read %d files for 41 distinct texts", read)
	}
	if procs < 2 || procs > 41 {
		t.Errorf("%d processes", procs)
	}
	// After Close nothing runs.
	if cs, err := sc.submit([]string{"#!/bin/sh\nnew\n"})[0].wait(context.Background()); err == nil {
		t.Errorf("a script submitted after Close was checked: %+v", cs)
	}
}
