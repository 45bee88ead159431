package buildplan

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/vocab"
)

func convert(t *testing.T, src string, opts Options) *Plan {
	t.Helper()
	p, err := Convert(context.Background(), "Dockerfile", []byte(src), opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func names(p *Plan) []string {
	var out []string
	for _, s := range p.Named() {
		out = append(out, s.Name)
	}
	return out
}

const multi = `FROM busybox AS build
WORKDIR /src
COPY go.mod ./
RUN --mount=type=cache,target=/c --mount=type=bind,source=vendor,target=/v cp go.mod /out
FROM busybox AS unused
COPY docs/ /docs/
FROM busybox
# the app
COPY --from=build /out /app/out
COPY *.txt /app/
ADD https://example.com/x.tgz /x.tgz
RUN echo done
`

func TestStepsAndReads(t *testing.T) {
	p := convert(t, multi, Options{})
	got := names(p)
	if len(got) != 8 || !strings.HasPrefix(got[0], "[build 1/4] FROM docker.io/library/busybox:latest@sha256:") {
		t.Fatalf("steps %q", got)
	}
	for _, n := range got {
		if strings.Contains(n, "docs") {
			t.Errorf("a stage the target does not need is in the plan: %q", n)
		}
	}
	if !reflect.DeepEqual(p.Stages, []string{"build", "stage-2"}) {
		t.Errorf("stages %q", p.Stages)
	}
	byText := map[string]*Step{}
	for _, s := range p.Named() {
		byText[s.Text()] = s
	}
	run := byText["RUN --mount=type=cache,target=/c --mount=type=bind,source=vendor,target=/v cp go.mod /out"]
	if run == nil || run.Line() != 4 || run.Stage != "build" || run.Kind != KindRun {
		t.Fatalf("RUN step %+v", run)
	}
	var base, mount *Input
	for i := range run.Inputs {
		switch run.Inputs[i].Kind {
		case InputBase:
			base = &run.Inputs[i]
		case InputMount:
			mount = &run.Inputs[i]
		}
	}
	if base == nil || base.ByContent || mount == nil || !mount.ByContent || mount.Step.Kind != KindContext {
		t.Errorf("RUN inputs: base %+v, mount %+v", base, mount)
	}
	if !reflect.DeepEqual(run.Reads, []Read{{Path: "vendor", Mount: true}}) {
		t.Errorf("RUN reads %+v", run.Reads)
	}
	cp := byText["COPY --from=build /out /app/out"]
	if cp == nil || len(cp.Reads) != 0 || cp.Line() != 9 {
		t.Fatalf("COPY --from %+v", cp)
	}
	for _, in := range cp.Inputs {
		if in.Kind == InputCopy && (!in.ByContent || in.Step != run || in.Selectors[0] != "/out") {
			t.Errorf("COPY --from source %+v", in)
		}
	}
	glob := byText["COPY *.txt /app/"]
	if glob == nil || !reflect.DeepEqual(glob.Reads, []Read{{Path: "*.txt", Wildcard: true}}) {
		t.Errorf("COPY glob %+v", glob)
	}
	if add := byText["ADD https://example.com/x.tgz /x.tgz"]; add == nil || len(add.Reads) != 0 {
		t.Errorf("ADD of a URL reads the context: %+v", add)
	}
	if p.Context == nil || !reflect.DeepEqual(p.Context.FollowPaths, []string{"*.txt", "go.mod", "vendor"}) {
		t.Errorf("follow paths %+v", p.Context)
	}
	if p := convert(t, "FROM busybox\nCOPY . /app\n", Options{}); p.Context == nil || p.Context.FollowPaths != nil {
		t.Errorf("COPY . asks for paths: %+v", p.Context)
	}
	if p := convert(t, "FROM busybox\nRUN true\n", Options{}); p.Context != nil {
		t.Errorf("no instruction reads the context, but it is loaded: %+v", p.Context)
	}
	if p := convert(t, multi, Options{Target: "unused"}); p.Context == nil || !reflect.DeepEqual(p.Context.FollowPaths, []string{"docs"}) {
		t.Errorf("--target unused: %+v", p.Context)
	}
}

// cores maps each named step's text to its Core.
func cores(p *Plan) map[string]string {
	out := map[string]string{}
	for _, s := range p.Named() {
		out[s.Stage+" "+s.Text()] = s.Core
	}
	return out
}

// The Core changes exactly where BuildKit's cache key does.
func TestCore(t *testing.T) {
	base := "FROM busybox\nARG V=1\nENV A=1 B=2\nCOPY a.txt /\nRUN echo hi\nLABEL x=1\n"
	p0 := cores(convert(t, base, Options{}))
	same := func(name, src string, opts Options) {
		if got := cores(convert(t, src, opts)); !reflect.DeepEqual(got, p0) {
			t.Errorf("%s changed a step's definition:\n%v\n%v", name, got, p0)
		}
	}
	same("a comment", "# hello\n"+strings.Replace(base, "RUN echo hi", "# note\nRUN echo hi", 1), Options{})
	same("a LABEL", strings.Replace(base, "x=1", "x=2", 1), Options{})
	same("an unused --build-arg", base, Options{BuildArgs: map[string]string{"OTHER": "1"}})
	changed := func(name, src string, opts Options, want ...string) {
		got := cores(convert(t, src, opts))
		var diff []string
		for k, v := range got {
			if p0[k] != v {
				diff = append(diff, k)
			}
		}
		if strings.Join(diff, ",") != strings.Join(want, ",") {
			t.Errorf("%s changed %q, want %q", name, diff, want)
		}
	}
	changed("ENV reorder", strings.Replace(base, "A=1 B=2", "B=2 A=1", 1), Options{}, "stage-0 RUN echo hi")
	changed("--build-arg V", base, Options{BuildArgs: map[string]string{"V": "2"}}, "stage-0 RUN echo hi")
}

func TestConvertBadInput(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"RUN echo\n", "no FROM"},
		{"FROM busybox\nCOPY --from=nowhere /a /b\nFROM busybox AS x\n", ""},
		{"FROM busybox\nCOPY\n", "Dockerfile:2"},
	} {
		_, err := Convert(context.Background(), "Dockerfile", []byte(c.src), Options{})
		if c.want == "" {
			continue
		}
		if !vocab.IsInput(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want an input error with %q", c.src, err, c.want)
		}
	}
	if _, err := Convert(context.Background(), "Dockerfile", []byte(multi), Options{Target: "nope"}); !vocab.IsInput(err) || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown target: %v", err)
	}
}
