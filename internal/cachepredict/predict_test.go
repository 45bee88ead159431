package cachepredict

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/buildplan"
	"github.com/stratatools/strata/internal/dockerignore"
)

type fixture struct {
	dir string
}

func newFixture(t *testing.T, files map[string]string) *fixture {
	t.Helper()
	dir := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return &fixture{dir: dir}
}

func (f *fixture) predict(t *testing.T, oldSrc, newSrc string, oldOpts, newOpts buildplan.Options, changed ...string) *Prediction {
	t.Helper()
	df := filepath.Join(f.dir, "Dockerfile")
	oldPlan, err := buildplan.Convert(context.Background(), df, []byte(oldSrc), oldOpts)
	if err != nil {
		t.Fatal(err)
	}
	newPlan, err := buildplan.Convert(context.Background(), df, []byte(newSrc), newOpts)
	if err != nil {
		t.Fatal(err)
	}
	m, err := dockerignore.Load(f.dir, df)
	if err != nil {
		t.Fatal(err)
	}
	return Predict(Request{Old: oldPlan, New: newPlan, Change: Change{Dir: f.dir, Paths: changed, OldIgnore: m, NewIgnore: m}})
}

// statuses lists "line:status" of the counted steps.
func statuses(p *Prediction) string {
	var out []string
	for _, s := range p.Steps {
		if s.Counted() {
			out = append(out, s.Instruction+"="+s.Status)
		}
	}
	return strings.Join(out, "; ")
}

const app = "FROM busybox\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nRUN python -m compileall .\n"

func TestSourceChange(t *testing.T) {
	f := newFixture(t, map[string]string{"requirements.txt": "flask\n", "src/app.py": "x\n", ".dockerignore": "Dockerfile\n*.log\n"})
	p := f.predict(t, app, app, buildplan.Options{}, buildplan.Options{}, "src/app.py", "debug.log")
	want := "WORKDIR /app=cached; COPY requirements.txt .=cached; RUN pip install -r requirements.txt=cached; COPY . .=rebuilt; RUN python -m compileall .=rebuilt"
	if got := statuses(p); got != want {
		t.Errorf("statuses\n got %s\nwant %s", got, want)
	}
	if len(p.Roots) != 1 || p.Roots[0].Text != "line 5 `COPY . .` takes src/app.py, which changed → this step and the 1 after it rebuild" {
		t.Errorf("roots %+v", p.Roots)
	}
	p = f.predict(t, app, app, buildplan.Options{}, buildplan.Options{}, "requirements.txt")
	if p.Rebuilt != 4 || !strings.Contains(p.Roots[0].Text, "including `RUN pip install -r requirements.txt` (line 4)") {
		t.Errorf("manifest change: %d rebuilt, roots %+v", p.Rebuilt, p.Roots)
	}
	// A changed file the ignore file leaves out changes nothing.
	if p := f.predict(t, app, app, buildplan.Options{}, buildplan.Options{}, "debug.log", "Dockerfile"); p.Rebuilt != 0 {
		t.Errorf("ignored files rebuilt %d steps: %s", p.Rebuilt, statuses(p))
	}
}

func TestVariablesAndDefinitions(t *testing.T) {
	f := newFixture(t, map[string]string{"a.txt": "a"})
	src := "FROM busybox\nCOPY a.txt /\nARG V=1\nENV A=1 B=2\nRUN echo $V\n"
	p := f.predict(t, src, src, buildplan.Options{}, buildplan.Options{BuildArgs: map[string]string{"V": "2"}})
	if p.Rebuilt != 1 || !strings.Contains(p.Steps[2].Causes[0].Text, `V changed from "1" to "2"`) {
		t.Errorf("--build-arg: %s %+v", statuses(p), p.Steps[2].Causes)
	}
	p = f.predict(t, src, strings.Replace(src, "A=1 B=2", "B=2 A=1", 1), buildplan.Options{}, buildplan.Options{})
	if p.Rebuilt != 1 || !strings.Contains(p.Steps[2].Causes[0].Text, "different order") {
		t.Errorf("ENV reorder: %s %+v", statuses(p), p.Steps[2].Causes)
	}
	p = f.predict(t, src, "# a comment\n"+strings.Replace(src, "RUN echo", "# why\nRUN echo", 1), buildplan.Options{}, buildplan.Options{})
	if p.Rebuilt != 0 {
		t.Errorf("comments rebuilt: %s", statuses(p))
	}
	p = f.predict(t, src, strings.Replace(src, "RUN echo $V", "USER nobody\nRUN echo $V", 1), buildplan.Options{}, buildplan.Options{})
	if p.Rebuilt != 1 || !strings.Contains(p.Steps[2].Causes[0].Text, "the user changed") {
		t.Errorf("USER: %s %+v", statuses(p), p.Steps[2].Causes)
	}
	p = f.predict(t, src, strings.Replace(src, "RUN echo $V", "RUN echo $V more", 1), buildplan.Options{}, buildplan.Options{})
	if p.Rebuilt != 1 || p.Steps[2].Causes[0].Kind != CauseInstruction {
		t.Errorf("edited RUN: %s %+v", statuses(p), p.Steps[2].Causes)
	}
}

const stages = "FROM busybox AS build\nCOPY . /src\nRUN cp /src/app.txt /out.txt\nFROM busybox AS test\nCOPY tests/ /t/\nFROM busybox\nCOPY --from=build /out.txt /app.txt\nRUN cat /app.txt\n"

func TestStagesAndOutputs(t *testing.T) {
	f := newFixture(t, map[string]string{"app.txt": "v1", "README.md": "r", "tests/t.py": "t"})
	p := f.predict(t, stages, stages, buildplan.Options{}, buildplan.Options{}, "README.md")
	if p.Rebuilt != 2 || p.Conditional != 2 {
		t.Fatalf("README change: %d rebuilt, %d conditional: %s", p.Rebuilt, p.Conditional, statuses(p))
	}
	if !strings.Contains(p.Roots[1].Text, "unless the copied files come out byte-identical") {
		t.Errorf("roots %+v", p.Roots)
	}
	for _, s := range p.Steps {
		if s.Stage == "test" {
			t.Errorf("a stage the target does not need is in the prediction: %+v", s)
		}
	}
	oldPlan, _ := buildplan.Convert(context.Background(), filepath.Join(f.dir, "Dockerfile"), []byte(stages), buildplan.Options{})
	newPlan, _ := buildplan.Convert(context.Background(), filepath.Join(f.dir, "Dockerfile"), []byte(stages), buildplan.Options{})
	m, _ := dockerignore.Load(f.dir, "")
	req := Request{Old: oldPlan, New: newPlan, Change: Change{Dir: f.dir, Paths: []string{"README.md"}, OldIgnore: m, NewIgnore: m}}
	req.Identical = func(stage string, paths []string) bool { return stage == "build" && paths[0] == "/out.txt" }
	if p := Predict(req); p.Rebuilt != 2 || p.Conditional != 0 || p.Total != 4 {
		t.Errorf("identical output: %s", statuses(p))
	}
	req.Identical = func(string, []string) bool { return false }
	if p := Predict(req); p.Rebuilt != 4 {
		t.Errorf("changed output: %s", statuses(p))
	}
	p = f.predict(t, stages, stages, buildplan.Options{}, buildplan.Options{NoCacheFilter: []string{"build"}})
	if p.Rebuilt != 2 || p.Conditional != 2 || p.Steps[1].Causes[0].Kind != CauseNoCache {
		t.Errorf("--no-cache-filter build: %s %+v", statuses(p), p.Steps[1].Causes)
	}
	p = f.predict(t, stages, strings.Replace(stages, "FROM busybox AS build", "FROM alpine AS build", 1), buildplan.Options{}, buildplan.Options{})
	if p.Rebuilt != 2 || p.Steps[0].Causes[0].Kind != CauseBase || !strings.Contains(p.Roots[0].Text, "busybox:latest to alpine:latest") {
		t.Errorf("base change: %s %+v", statuses(p), p.Roots)
	}
}

func TestChangedFiles(t *testing.T) {
	f := newFixture(t, map[string]string{"a.txt": "a", "b.md": "b", "conf/x": "x", ".dockerignore": "Dockerfile\n"})
	src := "FROM busybox\nCOPY *.txt /t/\nRUN --mount=type=bind,source=conf,target=/c cat /c/x\n"
	for _, c := range []struct {
		changed []string
		want    int
	}{
		{[]string{"c.txt"}, 2},      // a new file the glob takes
		{[]string{"c.md"}, 0},       // one it does not
		{[]string{"conf/x"}, 1},     // the bind mount's source
		{[]string{"conf"}, 1},       // a changed directory
		{[]string{"Dockerfile"}, 0}, // left out by .dockerignore
	} {
		if p := f.predict(t, src, src, buildplan.Options{}, buildplan.Options{}, c.changed...); p.Rebuilt != c.want {
			t.Errorf("%q changed: %d rebuilt, want %d: %s", c.changed, p.Rebuilt, c.want, statuses(p))
		}
	}
	// The ignore file now leaves out a file COPY . took.
	df := filepath.Join(f.dir, "Dockerfile")
	copyAll := "FROM busybox\nCOPY . /ctx\n"
	plan, err := buildplan.Convert(context.Background(), df, []byte(copyAll), buildplan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	oldM, _ := dockerignore.Parse("old", []byte("Dockerfile\n"))
	newM, _ := dockerignore.Parse("new", []byte("Dockerfile\nb.md\n"))
	p := Predict(Request{Old: plan, New: plan, Change: Change{Dir: f.dir, OldIgnore: oldM, NewIgnore: newM}})
	if p.Rebuilt != 1 || !strings.Contains(p.Steps[1].Causes[0].Text, "b.md") {
		t.Errorf("ignore file change: %s %+v", statuses(p), p.Steps[1].Causes)
	}
}
