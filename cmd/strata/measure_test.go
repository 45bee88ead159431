package main

import (
	"bytes"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/measure/engine"
)

// TestMeasureBadInput covers what is refused before the Engine is asked:
// every case exits 2 with a message naming the problem.
func TestMeasureBadInput(t *testing.T) {
	dir := t.TempDir()
	df := writeFile(t, dir, "Dockerfile", "FROM busybox:latest\n")
	// No Engine is reachable: a test that got past the checks would fail
	// with a different message.
	env := map[string]string{}
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(dir, "no-engine.sock"))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing Dockerfile", []string{"measure", "-f", filepath.Join(dir, "nope.Dockerfile"), dir}, "nope.Dockerfile: no such file"},
		{"default Dockerfile missing", []string{"measure", t.TempDir()}, "Dockerfile: no such file"},
		{"Dockerfile is a directory", []string{"measure", "-f", dir, dir}, "is a directory"},
		{"unknown instruction", []string{"measure", "-f", writeFile(t, dir, "bad1", "FROM busybox\nFOO bar\n"), dir}, "bad1:2: unknown instruction: FOO"},
		{"no FROM", []string{"measure", "-f", writeFile(t, dir, "bad2", "RUN echo hi\n"), dir}, "bad2: no FROM instruction"},
		{"COPY without arguments", []string{"compare", "--fix", writeFile(t, dir, "bad3", "FROM busybox\nCOPY\n")}, "bad3:2:"},
		{"empty", []string{"compare", writeFile(t, dir, "bad4", ""), df}, "bad4"},
		{"missing context", []string{"measure", "-f", df, filepath.Join(dir, "ctx")}, "build context"},
		{"two contexts", []string{"measure", dir, dir}, "accepts at most 1 arg"},
		{"runs", []string{"measure", "--runs", "0", dir}, "--runs 0"},
		{"format", []string{"measure", "--format", "xml", dir}, `--format "xml"`},
		{"bad regexp", []string{"measure", "--ready-log", "(", dir}, "--ready-log"},
		{"bad port", []string{"measure", "--ready-port", "70000", dir}, "--ready-port 70000"},
		{"log and port", []string{"measure", "--ready-log", "x", "--ready-port", "80", dir}, "cannot be combined"},
		{"builder", []string{"measure", "--builder", "kaniko", dir}, `--builder "kaniko"`},
		{"timeout", []string{"measure", "--timeout", "0s", dir}, "--timeout"},
		{"build arg", []string{"measure", "--build-arg", "=x", dir}, "--build-arg"},
		{"unknown flag", []string{"measure", "--colour", dir}, "unknown flag"},
		{"no Engine", []string{"measure", dir}, "connecting to the Docker Engine at unix://"},
		{"no Engine, no progress", []string{"measure", "--no-progress", "--no-color", dir}, "connecting to the Docker Engine at unix://"},
		{"compare one argument", []string{"compare", df}, "two Dockerfiles or images"},
		{"compare --fix two arguments", []string{"compare", "--fix", df, df}, "one Dockerfile"},
		{"compare --fix missing file", []string{"compare", "--fix", filepath.Join(dir, "missing")}, "missing: no such file"},
		{"compare bad context", []string{"compare", "--context", filepath.Join(dir, "nope"), df, df}, "build context"},
		{"compare no Engine", []string{"compare", df, df}, "connecting to the Docker Engine"},
		{"compare --html folder missing", []string{"compare", "--html", filepath.Join(dir, "nope", "c.html"), df, df}, "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runStrata(t, "", env, false, tt.args...)
			if r.code != cli.ExitUsage || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", r.code, r.stderr, tt.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q on bad input", r.stdout)
			}
		})
	}
}

func TestMeasureFlagsToOptions(t *testing.T) {
	mf := measureFlags{runs: 3, format: "json", builder: "auto", network: "host", timeout: 5e9, readyLog: `ready \d+`,
		buildArgs: []string{"A=1", "B=", "C", "D", "E=x=y"}}
	opts, err := mf.options(&cli.App{Getenv: func(k string) string { return map[string]string{"C": "from-env"}[k] }})
	if err != nil {
		t.Fatal(err)
	}
	val := func(k string) string {
		v, ok := opts.BuildArgs[k]
		switch {
		case !ok:
			return "<absent>"
		case v == nil:
			return "<nil>"
		}
		return *v
	}
	for k, want := range map[string]string{"A": "1", "B": "", "C": "from-env", "D": "<nil>", "E": "x=y"} {
		if got := val(k); got != want {
			t.Errorf("build arg %s = %q, want %q", k, got, want)
		}
	}
	if opts.Runs != 3 || opts.ReadyLog == nil || !opts.ReadyLog.MatchString("ready 42") || opts.StartupTimeout != 5e9 || opts.Network != "host" {
		t.Errorf("options %+v", opts)
	}
}

// TestMeasureProgress covers the progress line of measure and compare:
// drawn on a terminal's standard error only, never with JSON output,
// --no-progress or TERM=dumb, and without colour under NO_COLOR or
// --no-color.
func TestMeasureProgress(t *testing.T) {
	var errb bytes.Buffer
	draw := func(mf measureFlags, tty bool, env map[string]string) string {
		errb.Reset()
		a := &cli.App{Stderr: &errb, IsTerminal: func(w io.Writer) bool { return tty && w == &errb }, Getenv: func(k string) string { return env[k] }}
		pl := mf.progress(a)
		show := measureProgress(pl)
		show(engine.Event{Phase: "cold build 1/1", Step: "[2/3] RUN apt-get   update"})
		show(engine.Event{Phase: "cold build 1/1", Step: "[3/3] COPY . /app", Cached: true})
		pl.Stop()
		pl.Stop()
		return errb.String()
	}
	text := measureFlags{format: "text"}
	xterm := map[string]string{"TERM": "xterm"}
	out := draw(text, true, xterm)
	for _, want := range []string{"\r\x1b[Kcold build 1/1", "[2/3] RUN apt-get update", "CACHED [3/3] COPY . /app", "\x1b[2m"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress output %q lacks %q", out, want)
		}
	}
	if !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("progress output %q does not end by clearing the line", out)
	}

	for _, c := range []struct {
		name string
		mf   measureFlags
		tty  bool
		env  map[string]string
	}{
		{"json", measureFlags{format: "json"}, true, xterm},
		{"not a terminal", text, false, xterm},
		{"TERM=dumb", text, true, map[string]string{"TERM": "dumb"}},
		{"--no-progress", measureFlags{format: "text", noProgress: true}, true, xterm},
	} {
		if out := draw(c.mf, c.tty, c.env); out != "" {
			t.Errorf("%s: progress written: %q", c.name, out)
		}
	}
	for _, c := range []struct {
		name string
		mf   measureFlags
		env  map[string]string
	}{
		{"NO_COLOR", text, map[string]string{"TERM": "xterm", "NO_COLOR": "1"}},
		{"--no-color", measureFlags{format: "text", noColor: true}, xterm},
	} {
		out := draw(c.mf, true, c.env)
		if !strings.Contains(out, "CACHED [3/3] COPY . /app") || regexp.MustCompile("\x1b\\[[0-9;]*m").MatchString(out) {
			t.Errorf("%s: progress %q, want it drawn without colour", c.name, out)
		}
	}
}
