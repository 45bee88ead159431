package cachepredict_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/client"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/buildplan"
	"github.com/stratatools/strata/internal/cachepredict"
	"github.com/stratatools/strata/internal/dockerignore"
	"github.com/stratatools/strata/internal/testenv"
)

// scenario is a build, a change, and the rebuild after it. Dockerfiles
// say BASE for the scenario's own base image: a busybox with a layer of
// its own (BuildKit keys a base image on its layers), so that no scenario
// (nor an earlier run of the test) can serve another from the cache.
type scenario struct {
	name  string
	files map[string]string
	// change edits the context (and Dockerfile) between the builds.
	change func(t *testing.T, dir string)
	// changed is what strata is told changed, as git would list it.
	changed      []string
	args1, args2 map[string]string
	target       string
	base2        bool // the second build's BASE2 is another base image
	rebuilt      int  // how many steps the scenario is about rebuilding: checked against BuildKit too
	// sameOutput and differsOutput name ("stage:/path") paths a later
	// stage copies from a stage that rebuilds, which come out
	// byte-identical or not; the test checks it on the images.
	sameOutput    []string
	differsOutput []string
}

func write(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func edit(rel, content string) func(*testing.T, string) {
	return func(t *testing.T, dir string) { write(t, dir, rel, content) }
}

func appendTo(rel, more string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		write(t, dir, rel, string(b)+more)
	}
}

func replace(rel, old, new string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s has no %q", rel, old)
		}
		write(t, dir, rel, strings.Replace(string(b), old, new, 1))
	}
}

const pyApp = `FROM BASE
WORKDIR /app
COPY requirements.txt .
RUN cat requirements.txt > /deps
COPY . .
RUN wc -c app.py > /size
`

var pyFiles = map[string]string{"Dockerfile": pyApp, "requirements.txt": "flask==3.0\n", "app.py": "print('hi')\n", "lib/util.py": "x = 1\n", ".dockerignore": "Dockerfile\n*.log\nnotes/\n"}

const twoStage = `FROM BASE AS build
ARG FLAVOR=plain
COPY . /src
RUN cp /src/app.txt /out.txt && echo built $FLAVOR > /log
FROM BASE
COPY --from=build /out.txt /app.txt
RUN cat /app.txt > /seen
`

var twoStageFiles = map[string]string{"Dockerfile": twoStage, "app.txt": "v1\n", "README.md": "readme\n", ".dockerignore": "Dockerfile\n"}

func scenarios() []scenario {
	return []scenario{
		{name: "source file change", files: pyFiles, change: appendTo("app.py", "print('more')\n"), changed: []string{"app.py"}, rebuilt: 2},
		{name: "dependency manifest change", files: pyFiles, change: appendTo("requirements.txt", "requests\n"), changed: []string{"requirements.txt"}, rebuilt: 4},
		{name: "change to files .dockerignore leaves out", files: pyFiles, change: func(t *testing.T, dir string) {
			write(t, dir, "debug.log", "log line\n")
			write(t, dir, "notes/todo.md", "later\n")
		}, changed: []string{"debug.log", "notes/todo.md"}},
		{name: "ARG change through --build-arg", files: map[string]string{
			"Dockerfile": "FROM BASE\nCOPY app.py /\nARG VERSION=1\nRUN echo $VERSION > /v\nRUN true\n", "app.py": "x\n"},
			args2: map[string]string{"VERSION": "2"}, rebuilt: 2},
		{name: "ARG in scope but unused by the RUN", files: map[string]string{
			"Dockerfile": "FROM BASE\nARG UNUSED=1\nRUN echo same > /x\n"}, args2: map[string]string{"UNUSED": "2"}, rebuilt: 1},
		{name: "--build-arg for an ARG the stage does not declare", files: map[string]string{
			"Dockerfile": "FROM BASE\nRUN echo same > /x\n"}, args2: map[string]string{"OTHER": "2"}},
		{name: "ENV reorder", files: map[string]string{"Dockerfile": "FROM BASE\nCOPY a.txt /\nENV A=1 B=2\nRUN env > /env\n", "a.txt": "a\n"},
			change: replace("Dockerfile", "A=1 B=2", "B=2 A=1"), changed: []string{"Dockerfile"}, rebuilt: 1},
		{name: "comment-only Dockerfile edit (Dockerfile left out)", files: pyFiles,
			change: replace("Dockerfile", "COPY . .", "# the source\nCOPY . ."), changed: []string{"Dockerfile"}},
		{name: "comment-only Dockerfile edit that COPY . sends", files: map[string]string{
			"Dockerfile": "FROM BASE\nCOPY a.txt /\nCOPY . /ctx\nRUN ls /ctx > /l\n", "a.txt": "a\n"},
			change: replace("Dockerfile", "COPY . /ctx", "# everything\nCOPY . /ctx"), changed: []string{"Dockerfile"}, rebuilt: 2},
		{name: "build stage rebuilds with identical output", files: twoStageFiles, change: appendTo("README.md", "more\n"),
			changed: []string{"README.md"}, rebuilt: 2, sameOutput: []string{"build:/out.txt"}},
		{name: "ARG rebuilds a stage whose output stays identical", files: twoStageFiles, args2: map[string]string{"FLAVOR": "fancy"},
			rebuilt: 1, sameOutput: []string{"build:/out.txt"}},
		{name: "COPY --from a changed stage", files: twoStageFiles, change: edit("app.txt", "v2\n"), changed: []string{"app.txt"},
			rebuilt: 4, differsOutput: []string{"build:/out.txt"}},
		{name: "cache mount whose content another step changed", files: map[string]string{
			"Dockerfile": "FROM BASE AS writer\nCOPY stamp.txt /\nRUN --mount=type=cache,target=/c,id=shared cp /stamp.txt /c/stamp && echo done > /done\nFROM BASE\nCOPY --from=writer /done /done\nRUN --mount=type=cache,target=/c,id=shared cat /c/stamp > /seen\n",
			"stamp.txt":  "1\n"}, change: edit("stamp.txt", "2\n"), changed: []string{"stamp.txt"}, rebuilt: 2, sameOutput: []string{"writer:/done"}},
		{name: "cache and secret mounts, unrelated change", files: map[string]string{
			"Dockerfile": "FROM BASE\nRUN --mount=type=cache,target=/c --mount=type=secret,id=token echo deps > /deps\nCOPY app.py /\n", "app.py": "1\n"},
			change: edit("app.py", "2\n"), changed: []string{"app.py"}, rebuilt: 1},
		{name: "cache mount target changed", files: map[string]string{"Dockerfile": "FROM BASE\nRUN --mount=type=cache,target=/c echo x > /x\n"},
			change: replace("Dockerfile", "target=/c", "target=/d"), changed: []string{"Dockerfile"}, rebuilt: 1},
		{name: "bind mount source changed", files: map[string]string{
			"Dockerfile": "FROM BASE\nRUN --mount=type=bind,source=conf,target=/conf cat /conf/a > /a\nRUN true\n", "conf/a": "1\n", "other.txt": "o\n"},
			change: edit("conf/a", "2\n"), changed: []string{"conf/a"}, rebuilt: 2},
		{name: "bind mount, unrelated file changed", files: map[string]string{
			"Dockerfile": "FROM BASE\nRUN --mount=type=bind,source=conf,target=/conf cat /conf/a > /a\n", "conf/a": "1\n", "other.txt": "o\n"},
			change: edit("other.txt", "2\n"), changed: []string{"other.txt"}},
		{name: "target that skips a stage", files: map[string]string{
			"Dockerfile": "FROM BASE AS base\nCOPY app.py /\nFROM base AS test\nCOPY tests/ /tests/\nRUN ls /tests > /t\nFROM base AS final\nRUN cat /app.py > /a\n",
			"app.py":     "1\n", "tests/t.py": "1\n"}, target: "final", change: edit("tests/t.py", "2\n"), changed: []string{"tests/t.py"}},
		{name: "heredoc RUN edit", files: map[string]string{"Dockerfile": "FROM BASE\nCOPY a.txt /\nRUN <<EOF\necho one > /one\nEOF\nRUN true\n", "a.txt": "a\n"},
			change: replace("Dockerfile", "echo one", "echo two"), changed: []string{"Dockerfile"}, rebuilt: 2},
		{name: "chmod-only change", files: map[string]string{"Dockerfile": "FROM BASE\nCOPY run.sh /\nRUN ls -l /run.sh > /l\n", "run.sh": "echo hi\n"},
			change: func(t *testing.T, dir string) {
				if err := os.Chmod(filepath.Join(dir, "run.sh"), 0o755); err != nil {
					t.Fatal(err)
				}
			}, changed: []string{"run.sh"}, rebuilt: 2},
		{name: "modification time only (touch)", files: map[string]string{"Dockerfile": "FROM BASE\nCOPY . /ctx\nRUN true\n", "a.txt": "a\n"},
			change: func(t *testing.T, dir string) {
				later := time.Now().Add(time.Hour)
				if err := os.Chtimes(filepath.Join(dir, "a.txt"), later, later); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "new file matched by a COPY glob", files: map[string]string{"Dockerfile": "FROM BASE\nCOPY *.txt /t/\nRUN ls /t > /l\n", "a.txt": "a\n", "b.md": "b\n"},
			change: edit("c.txt", "c\n"), changed: []string{"c.txt"}, rebuilt: 2},
		{name: "new file the COPY glob does not match", files: map[string]string{"Dockerfile": "FROM BASE\nCOPY *.txt /t/\nRUN ls /t > /l\n", "a.txt": "a\n", "b.md": "b\n"},
			change: edit("c.md", "c\n"), changed: []string{"c.md"}},
		{name: "WORKDIR change", files: pyFiles, change: replace("Dockerfile", "WORKDIR /app", "WORKDIR /srv"), changed: []string{"Dockerfile"}, rebuilt: 5},
		{name: "LABEL edit", files: map[string]string{"Dockerfile": "FROM BASE\nLABEL version=1\nCOPY a.txt /\nRUN true\n", "a.txt": "a\n"},
			change: replace("Dockerfile", "version=1", "version=2"), changed: []string{"Dockerfile"}},
		{name: "instruction inserted", files: map[string]string{"Dockerfile": "FROM BASE\nCOPY a.txt /\nRUN true\n", "a.txt": "a\n"},
			change: replace("Dockerfile", "COPY a.txt /", "RUN echo first > /first\nCOPY a.txt /"), changed: []string{"Dockerfile"}, rebuilt: 3},
		{name: ".dockerignore now leaves out a copied file", files: map[string]string{
			"Dockerfile": "FROM BASE\nCOPY a.txt /\nCOPY . /ctx\n", "a.txt": "a\n", "b.txt": "b\n", ".dockerignore": "Dockerfile\n"},
			change: edit(".dockerignore", "Dockerfile\nb.txt\n"), changed: []string{".dockerignore"}, rebuilt: 1},
		{name: "USER added before a RUN", files: map[string]string{"Dockerfile": "FROM BASE\nCOPY a.txt /\nRUN id > /tmp/id\n", "a.txt": "a\n"},
			change: replace("Dockerfile", "RUN id", "USER nobody\nRUN id"), changed: []string{"Dockerfile"}, rebuilt: 1},
		{name: "base image change", files: map[string]string{"Dockerfile": "FROM BASE\nCOPY a.txt /\nRUN true\n", "a.txt": "a\n"},
			base2: true, changed: []string{"Dockerfile"}, rebuilt: 2},
	}
}

// TestIntegrationScenarios builds every scenario twice with BuildKit, on
// the engine (through BuildKit's current Dockerfile frontend) and on the
// standalone buildkitd of the test environment (through BuildKit's client,
// its images loaded into the engine), and checks that strata's prediction
// for every step is what BuildKit reported: CACHED or not. With
// STRATA_CACHE_TABLE set, it writes the engine's results as a Markdown
// table to that file.
func TestIntegrationScenarios(t *testing.T) {
	cli := testenv.Engine(t)
	testenv.RequireImage(t, testenv.BusyboxImage)
	if t.Failed() || t.Skipped() {
		return
	}
	tr := build.NewTracker(cli)
	t.Cleanup(func() {
		if err := tr.Cleanup(); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	builders := []scenarioBuilder{engineBuilder(t, cli, tr), daemonBuilder(t, cli, tr)}
	run := build.NewName("cache")
	rows := make([][]string, len(builders))
	// The two builders are two daemons: their scenarios run side by side.
	t.Run("builders", func(t *testing.T) {
		for k, b := range builders {
			t.Run(b.name, func(t *testing.T) {
				t.Parallel()
				for i, sc := range scenarios() {
					t.Run(sc.name, func(t *testing.T) {
						rows[k] = append(rows[k], runScenario(t, cli, tr, b, fmt.Sprintf("%s-%s-%d", run, b.name, i), sc))
					})
				}
			})
		}
	})
	if path := os.Getenv("STRATA_CACHE_TABLE"); path != "" {
		table := "| scenario | steps | strata: rebuilt | strata: rebuilt unless a copied stage output is identical | BuildKit: rebuilt | every step as strata said |\n| --- | --- | --- | --- | --- | --- |\n" + strings.Join(rows[0], "\n") + "\n"
		if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
			t.Error(err)
		}
	}
	if n := len(scenarios()); n < 20 {
		t.Errorf("%d scenarios; the proof needs at least 20", n)
	}
}

// scenarioBuilder is where the scenarios build: their Dockerfiles' first
// line, a build, and a base image of the scenario's own.
type scenarioBuilder struct {
	name   string
	syntax string
	build  func(t *testing.T, s build.Spec) (*build.Result, error)
	// base makes a base image tagged tag and returns how FROM names it.
	base func(t *testing.T, tag string) string
}

// engineBuilder builds on the engine, with BuildKit's Dockerfile frontend
// at the version strata reads Dockerfiles with.
func engineBuilder(t *testing.T, cli *client.Client, tr *build.Tracker) scenarioBuilder {
	frontend := testenv.DockerfileFrontend(t, cli)
	return scenarioBuilder{
		name: "engine", syntax: "# syntax=" + frontend + "\n",
		build: func(t *testing.T, s build.Spec) (*build.Result, error) { return build.Build(t.Context(), cli, s) },
		base: func(t *testing.T, tag string) string {
			baseImage(t, cli, tr, tag)
			return tag
		},
	}
}

// daemonBuilder builds on the standalone buildkitd, whose own Dockerfile
// frontend is that version; the images are loaded into the engine, and the
// base images pushed to the registry, where the daemon finds them.
func daemonBuilder(t *testing.T, cli *client.Client, tr *build.Tracker) scenarioBuilder {
	host, reg := testenv.BuildKitHost(t), testenv.Registry(t)
	load, err := build.DialDaemon(t.Context(), build.DaemonOptions{Address: host, Engine: cli})
	if err != nil {
		t.Fatal(err)
	}
	push, err := build.DialDaemon(t.Context(), build.DaemonOptions{Address: host, Push: reg + "/" + build.NewName("cache-base")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := push.Cleanup(); err != nil {
			t.Errorf("cleanup: %v", err)
		}
		_ = push.Close()
		_ = load.Close()
	})
	return scenarioBuilder{
		name:  "buildkitd",
		build: func(t *testing.T, s build.Spec) (*build.Result, error) { return load.Build(t.Context(), s) },
		base: func(t *testing.T, tag string) string {
			dir := t.TempDir()
			write(t, dir, "Dockerfile", "FROM busybox\nRUN echo "+tag+" > /.strata-test-base\n")
			res, err := push.Build(t.Context(), build.Spec{ContextDir: dir, Dockerfile: filepath.Join(dir, "Dockerfile"), Tag: tag})
			if err != nil {
				t.Fatal(err)
			}
			return res.Tag
		},
	}
}

// baseImage makes a base image of the scenario's own.
func baseImage(t *testing.T, cli *client.Client, tr *build.Tracker, tag string) {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, "Dockerfile", "FROM busybox\nRUN echo "+tag+" > /.strata-test-base\n")
	tr.Image(tag)
	if _, err := build.Build(t.Context(), cli, build.Spec{ContextDir: dir, Dockerfile: filepath.Join(dir, "Dockerfile"), Tag: tag, Builder: build.BuilderClassic, Tracker: tr}); err != nil {
		t.Fatal(err)
	}
}

func argPtrs(m map[string]string) map[string]*string {
	out := map[string]*string{}
	for k, v := range m {
		out[k] = &v
	}
	return out
}

func runScenario(t *testing.T, cli *client.Client, tr *build.Tracker, b scenarioBuilder, name string, sc scenario) string {
	base := b.base(t, name+"-base:1")
	base2 := ""
	if sc.base2 {
		base2 = b.base(t, name+"-base2:1")
	}
	dir := t.TempDir()
	for rel, content := range sc.files {
		if rel == "Dockerfile" {
			content = b.syntax + strings.ReplaceAll(content, "BASE", base)
		}
		write(t, dir, rel, content)
	}
	df := filepath.Join(dir, "Dockerfile")
	spec := build.Spec{ContextDir: dir, Dockerfile: df, Builder: build.BuilderBuildKit, Target: sc.target, Tracker: tr}
	buildOnce := func(tag string, args map[string]string) *build.Result {
		s := spec
		s.Tag, s.BuildArgs = tag, argPtrs(args)
		tr.Image(tag)
		res, err := b.build(t, s)
		if err != nil {
			var be *build.Error
			if e, ok := err.(*build.Error); ok {
				be = e
				t.Fatalf("build %s: %s", tag, be.Detail())
			}
			t.Fatalf("build %s: %v", tag, err)
		}
		return res
	}
	outputs := func(tag string, args map[string]string) map[string]string {
		out := map[string]string{}
		for i, sp := range append(append([]string{}, sc.sameOutput...), sc.differsOutput...) {
			stage, p, _ := strings.Cut(sp, ":")
			s := spec
			s.BuildArgs = argPtrs(args)
			out[sp] = stageFiles(t, cli, tr, b, s, fmt.Sprintf("%s-%d", tag, i), stage, p)
		}
		return out
	}
	buildOnce(name+":one", sc.args1)
	before := outputs(name+"-one", sc.args1)
	oldSrc, err := os.ReadFile(df)
	if err != nil {
		t.Fatal(err)
	}
	oldIgnore, err := dockerignore.Load(dir, df)
	if err != nil {
		t.Fatal(err)
	}
	if sc.change != nil {
		sc.change(t, dir)
	}
	if sc.base2 {
		write(t, dir, "Dockerfile", strings.ReplaceAll(readFile(t, df), base, base2))
	}
	newIgnore, err := dockerignore.Load(dir, df)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	oldPlan, err := buildplan.Convert(ctx, df, oldSrc, buildplan.Options{BuildArgs: sc.args1, Target: sc.target})
	if err != nil {
		t.Fatal(err)
	}
	newPlan, err := buildplan.Convert(ctx, df, nil, buildplan.Options{BuildArgs: sc.args2, Target: sc.target})
	if err != nil {
		t.Fatal(err)
	}
	req := cachepredict.Request{Old: oldPlan, New: newPlan,
		Change: cachepredict.Change{Dir: dir, Paths: sc.changed, OldIgnore: oldIgnore, NewIgnore: newIgnore}}
	open := cachepredict.Predict(req)

	res := buildOnce(name+":two", sc.args2)
	after := outputs(name+"-two", sc.args2)
	// What the outputs really did, checked on the images: the scenario's
	// claim is a fact about the build, not an assumption.
	same := map[string]bool{}
	for _, st := range sc.sameOutput {
		if before[st] != after[st] {
			t.Fatalf("stage %s was meant to rebuild into identical output:\n%s\n%s", st, before[st], after[st])
		}
		same[st] = true
	}
	for _, st := range sc.differsOutput {
		if before[st] == after[st] {
			t.Fatalf("stage %s was meant to change its output: %s", st, after[st])
		}
	}
	req.Identical = func(stage string, paths []string) bool {
		for _, p := range paths {
			if !same[stage+":"+p] {
				return false
			}
		}
		return len(paths) > 0
	}
	resolved := cachepredict.Predict(req)

	byName := map[string]*cachepredict.StepResult{}
	for i := range resolved.Steps {
		byName[resolved.Steps[i].Name] = &resolved.Steps[i]
	}
	reported := map[string]bool{}
	bkRebuilt := 0
	ok := true
	for _, st := range res.StepList {
		reported[st.Name] = true
		if !st.Cached {
			bkRebuilt++
		}
		p := byName[st.Name]
		if p == nil {
			t.Errorf("BuildKit ran %q, which strata's plan does not have (plan: %q)", st.Name, names(resolved))
			ok = false
			continue
		}
		if predictedCached := p.Status == cachepredict.Cached; predictedCached != st.Cached {
			t.Errorf("%s: strata predicted %s (%+v), BuildKit reported cached=%v", st.Name, p.Status, p.Causes, st.Cached)
			ok = false
		}
	}
	for _, p := range resolved.Steps {
		if p.Counted() && !reported[p.Name] {
			t.Errorf("strata's plan has %q, which BuildKit did not run (ran %v)", p.Name, res.StepList)
			ok = false
		}
	}
	if bkRebuilt != sc.rebuilt {
		t.Errorf("BuildKit rebuilt %d steps; the scenario is about %d", bkRebuilt, sc.rebuilt)
	}
	// Without knowing the outputs, the steps that copy from a rebuilt
	// stage are conditional, and nothing else differs.
	for i, p := range open.Steps {
		r := resolved.Steps[i]
		if p.Status != r.Status && p.Status != cachepredict.Conditional {
			t.Errorf("%s: %s before the outputs were known, %s after", p.Name, p.Status, r.Status)
		}
	}
	if (len(sc.sameOutput)+len(sc.differsOutput) > 0) != (open.Conditional > 0) {
		t.Errorf("conditional steps: %d, scenario with a rebuilt stage copied from: %v", open.Conditional, len(sc.sameOutput)+len(sc.differsOutput) > 0)
	}
	for _, r := range resolved.Roots {
		t.Logf("  %s", r.Text)
	}
	verdict := "yes"
	if !ok {
		verdict = "**no**"
	}
	cond := "–"
	if open.Conditional > 0 {
		same := "identical: cached"
		if len(sc.differsOutput) > 0 {
			same = "changed: rebuilt"
		}
		cond = fmt.Sprintf("%d (%s)", open.Conditional, same)
	}
	return fmt.Sprintf("| %s | %d | %d | %s | %d | %s |", sc.name, resolved.Total, open.Rebuilt, cond, bkRebuilt, verdict)
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func names(p *cachepredict.Prediction) []string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, s.Name)
	}
	sort.Strings(out)
	return out
}

// stageFiles builds the stage (from the cache) and returns the
// checksums and modes of the files under path in it.
func stageFiles(t *testing.T, cli *client.Client, tr *build.Tracker, b scenarioBuilder, spec build.Spec, tag, stage, path string) string {
	t.Helper()
	s := spec
	s.Tag, s.Target = strings.ToLower(tag)+":x", stage
	tr.Image(s.Tag)
	if _, err := b.build(t, s); err != nil {
		t.Fatalf("building stage %s: %v", stage, err)
	}
	out, code := testenv.RunContainer(t, cli, s.Tag, "sh", "-c", "find "+path+" -type f | sort | xargs sha256sum && find "+path+" | sort | xargs ls -ld --full-time | cut -c1-10")
	if code != 0 {
		t.Fatalf("listing stage %s: exit %d: %s", stage, code, out)
	}
	return out
}
