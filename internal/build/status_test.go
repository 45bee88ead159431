package build

import (
	"archive/tar"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	controlapi "github.com/moby/buildkit/api/services/control"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/stratatools/strata/internal/vocab"
)

// traceLine encodes a BuildKit status message the way the Engine sends it.
func traceLine(t *testing.T, sr *controlapi.StatusResponse) string {
	t.Helper()
	raw, err := sr.MarshalVT()
	if err != nil {
		t.Fatal(err)
	}
	aux, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf(`{"id":"moby.buildkit.trace","aux":%s}`+"\n", aux)
}

func TestBuildKitStatus(t *testing.T) {
	now := timestamppb.Now()
	v := func(d, name string, cached bool, started, completed bool, errMsg string) *controlapi.Vertex {
		vx := &controlapi.Vertex{Digest: d, Name: name, Cached: cached, Error: errMsg}
		if started {
			vx.Started = now
		}
		if completed {
			vx.Completed = now
		}
		return vx
	}
	var stream strings.Builder
	stream.WriteString(`{"stream":"ignored text\n"}` + "\n")
	stream.WriteString(traceLine(t, &controlapi.StatusResponse{Vertexes: []*controlapi.Vertex{
		v("d0", "[internal] load build definition from Dockerfile", false, true, true, ""),
		v("d1", "[1/4] FROM docker.io/library/busybox:latest", false, true, true, ""),
		v("d2", "[2/4] RUN echo one", true, true, true, ""),
	}}))
	stream.WriteString(traceLine(t, &controlapi.StatusResponse{Vertexes: []*controlapi.Vertex{
		v("d3", "[3/4] COPY app.txt /app.txt", false, true, false, ""),
	}}))
	// The same vertex completing, and a step of another stage.
	stream.WriteString(traceLine(t, &controlapi.StatusResponse{Vertexes: []*controlapi.Vertex{
		v("d3", "[3/4] COPY app.txt /app.txt", false, true, true, ""),
		v("d4", "[build 2/2] RUN make", false, true, true, ""),
		v("d5", "exporting to image", false, true, true, ""),
	}, Logs: []*controlapi.VertexLog{
		{Vertex: "d4", Msg: []byte("compiling\npartial ")},
		{Vertex: "d4", Msg: []byte("line\n")},
	}}))
	stream.WriteString(`{"id":"moby.image.id","aux":{"ID":"sha256:abc"}}` + "\n")

	var progress []Step
	st := newBKStatus(func(s Step) { progress = append(progress, s) })
	if err := st.read(strings.NewReader(stream.String())); err != nil {
		t.Fatalf("read: %v", err)
	}
	if st.imageID != "sha256:abc" {
		t.Errorf("image ID %q", st.imageID)
	}
	res := newResult(st.imageID, st.steps())
	if res.Steps != 3 || res.CachedSteps != 1 {
		t.Errorf("counts = %d steps, %d cached; want 3, 1 (FROM and internal vertices left out)", res.Steps, res.CachedSteps)
	}
	wantList := []Step{{Name: "[2/4] RUN echo one", Cached: true}, {Name: "[3/4] COPY app.txt /app.txt"}, {Name: "[build 2/2] RUN make"}}
	if !reflect.DeepEqual(res.StepList, wantList) {
		t.Errorf("step list %+v, want %+v", res.StepList, wantList)
	}
	if got := res.StepList[2].Instruction(); got != "RUN make" {
		t.Errorf("instruction of %q = %q", res.StepList[2].Name, got)
	}
	var names []string
	for _, p := range progress {
		names = append(names, p.Name)
	}
	want := []string{"[1/4] FROM docker.io/library/busybox:latest", "[2/4] RUN echo one", "[3/4] COPY app.txt /app.txt", "[build 2/2] RUN make"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("progress = %q, want %q (each step once, in order)", names, want)
	}
	if !progress[1].Cached || progress[2].Cached {
		t.Errorf("cached flags: %+v", progress)
	}
	if got := st.vertices["d4"].log; !reflect.DeepEqual(got, []string{"compiling", "partial line"}) {
		t.Errorf("log of d4 = %q", got)
	}
}

func TestBuildKitFailure(t *testing.T) {
	var stream strings.Builder
	stream.WriteString(traceLine(t, &controlapi.StatusResponse{Vertexes: []*controlapi.Vertex{
		{Digest: "a", Name: "[2/3] RUN sleep 5", Error: "context canceled: context canceled"},
		{Digest: "b", Name: "[3/3] RUN make", Error: `process "/bin/sh -c make" did not complete successfully: exit code: 2`},
		{Digest: "c", Name: "[internal] load metadata", Error: "something internal"},
	}, Logs: []*controlapi.VertexLog{{Vertex: "b", Msg: []byte("make: *** No rule to make target\nno newline at the end")}}}))
	stream.WriteString(`{"errorDetail":{"message":"failed to solve: exit code: 2"},"error":"failed to solve: exit code: 2"}` + "\n")
	stream.WriteString(`{"stream":"never read"}` + "\n")

	err := newBKStatus(nil).read(strings.NewReader(stream.String()))
	var be *Error
	if !errors.As(err, &be) {
		t.Fatalf("read = %v, want *Error", err)
	}
	if be.Step != "[3/3] RUN make" || be.Message != "failed to solve: exit code: 2" {
		t.Errorf("error = %+v", be)
	}
	if !reflect.DeepEqual(be.Log, []string{"make: *** No rule to make target", "no newline at the end"}) {
		t.Errorf("log = %q", be.Log)
	}
	be.Dockerfile, be.Builder = "Dockerfile", BuilderBuildKit
	d := be.Detail()
	for _, want := range []string{"building Dockerfile (buildkit): step [3/3] RUN make failed: failed to solve", "last 2 line(s)", "  | no newline at the end"} {
		if !strings.Contains(d, want) {
			t.Errorf("Detail() lacks %q:\n%s", want, d)
		}
	}

	// A failure no vertex claims (a Dockerfile the builder cannot parse).
	err = newBKStatus(nil).read(strings.NewReader(`{"errorDetail":{"message":"dockerfile parse error line 3"}}`))
	if !errors.As(err, &be) || be.Step != "" || !strings.Contains(be.Error(), "dockerfile parse error line 3") {
		t.Errorf("unclaimed failure: %v", err)
	}

	if err := newBKStatus(nil).read(strings.NewReader(`{"id":"moby.buildkit.trace","aux":"not base64!"}`)); err == nil {
		t.Error("a corrupt trace message was accepted")
	}
	if err := newBKStatus(nil).read(strings.NewReader(`{"stream":`)); err == nil {
		t.Error("a cut-off stream was accepted")
	}
	if err := newBKStatus(nil).read(strings.NewReader(`{"id":"moby.buildkit.trace","aux":"` + base64.StdEncoding.EncodeToString([]byte{0xff, 0xff}) + `"}`)); err == nil {
		t.Error("a trace message that is not a StatusResponse was accepted")
	}
}

func TestClassicStatus(t *testing.T) {
	out := []string{
		"Step 1/5 : FROM busybox:latest\n", " ---> 2e845a02c329\n",
		"Step 2/5 : RUN echo one > /one\n", " ---> Using cache\n", " ---> 111111111111\n",
		"Step 3/5 : COPY app.txt /app.txt\n", " ---> 222222222222\n",
		"Step 4/5 : RUN cat /app.txt\n", " ---> Running in 3333\n", "v2\n", "Removing intermediate container 3333\n", " ---> 444444444444\n",
		"Step 5/5 : CMD [\"sh\"]\n", " ---> Running", " in 5555\n", " ---> 666666666666\n",
		"Successfully built 666666666666\n",
	}
	var stream strings.Builder
	for _, s := range out {
		b, _ := json.Marshal(map[string]string{"stream": s})
		stream.Write(append(b, '\n'))
	}
	stream.WriteString(`{"aux":{"ID":"sha256:666666666666aaaa"}}` + "\n")
	tr := &Tracker{}
	var progress []string
	st := &classicStatus{tracker: tr, progress: func(s Step) { progress = append(progress, s.Name) }}
	if err := st.read(strings.NewReader(stream.String())); err != nil {
		t.Fatal(err)
	}
	res := newResult(st.imageID, st.steps)
	if res.Steps != 4 || res.CachedSteps != 1 || res.ImageID != "sha256:666666666666aaaa" {
		t.Errorf("steps %d cached %d image %q; want 4, 1, sha256:666666666666aaaa", res.Steps, res.CachedSteps, res.ImageID)
	}
	if got := res.StepList[0]; got.Instruction() != "RUN echo one > /one" || !got.Cached {
		t.Errorf("first step %+v (instruction %q), want RUN echo one > /one from the cache", got, got.Instruction())
	}
	if len(progress) != 5 || progress[3] != "Step 4/5 : RUN cat /app.txt" {
		t.Errorf("progress %q", progress)
	}
	// New step images (not the base, not cache hits) and step containers
	// are recorded for cleanup.
	if want := []string{"222222222222", "444444444444", "666666666666"}; !reflect.DeepEqual(tr.orphans, want) {
		t.Errorf("intermediate images %q, want %q", tr.orphans, want)
	}
	if want := []string{"3333", "5555"}; !reflect.DeepEqual(tr.containers, want) {
		t.Errorf("step containers %q, want %q", tr.containers, want)
	}

	failed := `{"stream":"Step 1/2 : FROM busybox\n"}
{"stream":"Step 2/2 : RUN echo out; exit 3\n"}
{"stream":" ---\u003e Running in abc\n"}
{"stream":"out\n"}
{"errorDetail":{"code":3,"message":"The command '/bin/sh -c echo out; exit 3' returned a non-zero code: 3"},"error":"The command '/bin/sh -c echo out; exit 3' returned a non-zero code: 3"}
`
	err := (&classicStatus{}).read(strings.NewReader(failed))
	var be *Error
	if !errors.As(err, &be) || be.Step != "Step 2/2 : RUN echo out; exit 3" || !reflect.DeepEqual(be.Log, []string{"out"}) || !strings.Contains(be.Message, "non-zero code: 3") {
		t.Errorf("failure = %#v", err)
	}
}

func TestAppendTailKeepsTheLastLines(t *testing.T) {
	var lines []string
	for i := 0; i < logTail+5; i++ {
		lines = appendTail(lines, fmt.Sprint(i))
	}
	if len(lines) != logTail || lines[0] != "5" || lines[logTail-1] != fmt.Sprint(logTail+4) {
		t.Errorf("tail = %q", lines)
	}
}

func TestLineWriter(t *testing.T) {
	var got []string
	w := &lineWriter{fn: func(l string) { got = append(got, l) }}
	_, _ = io.WriteString(w, "one\r\ntw")
	_, _ = io.WriteString(w, "o\nthree")
	w.flush()
	if !reflect.DeepEqual(got, []string{"one", "two", "three"}) {
		t.Errorf("lines %q", got)
	}
}

func TestResolveBuilderWithoutAsking(t *testing.T) {
	for _, tt := range []struct{ pref, env, want, err string }{
		{BuilderBuildKit, "0", BuilderBuildKit, ""},
		{BuilderClassic, "1", BuilderClassic, ""},
		{BuilderAuto, "1", BuilderBuildKit, ""},
		{"", "false", BuilderClassic, ""},
		{BuilderAuto, "maybe", "", `DOCKER_BUILDKIT="maybe"`},
		{"kaniko", "", "", `unknown builder "kaniko"`},
	} {
		got, err := ResolveBuilder(t.Context(), nil, tt.pref, tt.env)
		if got != tt.want || (tt.err == "") != (err == nil) || (err != nil && (!strings.Contains(err.Error(), tt.err) || !vocab.IsInput(err))) {
			t.Errorf("ResolveBuilder(%q, DOCKER_BUILDKIT=%q) = %q, %v; want %q, %q", tt.pref, tt.env, got, err, tt.want, tt.err)
		}
	}
}

func TestSharedKeyIsStablePerDirectory(t *testing.T) {
	if sharedKey("/a/b") != sharedKey("/a/b") || sharedKey("/a/b") == sharedKey("/a/c") {
		t.Error("shared keys must be stable per directory and differ between directories")
	}
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestContextFilesHonourDockerignore(t *testing.T) {
	dir := writeTree(t, map[string]string{
		".dockerignore":        "*.log\nnode_modules\nDockerfile\n.dockerignore\ndocs\n!docs/keep.md\n",
		"Dockerfile":           "FROM scratch\n",
		"app/main.py":          "x",
		"app/debug.log":        "x",
		"debug.log":            "x",
		"node_modules/a/b.js":  "x",
		"docs/skip.md":         "x",
		"docs/keep.md":         "x",
		"sub/Dockerfile.extra": "x",
	})
	got, err := ContextFiles(dir, filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	// BuildKit applies the patterns as written, the Dockerfile's and
	// .dockerignore's included; "*.log" matches at the top only;
	// "!docs/keep.md" brings one file back.
	want := []string{"app/debug.log", "app/main.py", "docs/keep.md", "sub/Dockerfile.extra"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ContextFiles = %q\nwant %q", got, want)
	}

	dst := filepath.Join(t.TempDir(), "copy")
	if err := CopyContext(dir, filepath.Join(dir, "Dockerfile"), dst); err != nil {
		t.Fatal(err)
	}
	copied, err := ContextFiles(dst, filepath.Join(dst, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(copied, want) {
		t.Errorf("the copy holds %q, want %q", copied, want)
	}
	// The copy builds like the original: it has the build's own files.
	for _, own := range []string{"Dockerfile", ".dockerignore"} {
		if _, err := os.Stat(filepath.Join(dst, own)); err != nil {
			t.Errorf("the copy lacks %s: %v", own, err)
		}
	}

	if _, err := ContextFiles(filepath.Join(dir, "missing"), ""); err == nil {
		t.Error("a missing context was listed")
	}
}

func TestContextTar(t *testing.T) {
	dir := writeTree(t, map[string]string{".dockerignore": "secret\n.dockerignore\n", "a.txt": "a", "secret": "s"})
	outside := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(outside, []byte("FROM scratch\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeContextTar(pw, dir, outside, ".strata-dockerfile-x")) }()
	tr := tar.NewReader(pr)
	var names []string
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if hdr.Uid != 0 || hdr.Gid != 0 {
			t.Errorf("%s owned by %d:%d", hdr.Name, hdr.Uid, hdr.Gid)
		}
		names = append(names, hdr.Name)
	}
	sort.Strings(names)
	// The classic builder's client keeps .dockerignore although it lists
	// itself, so that the daemon can read it.
	if want := []string{".dockerignore", ".strata-dockerfile-x", "a.txt"}; !reflect.DeepEqual(names, want) {
		t.Errorf("tar holds %q, want %q", names, want)
	}
}

// TestBuildKitTransfers: the bytes BuildKit reports for each transfer from
// the client are kept, the last figure of each counting.
func TestBuildKitTransfers(t *testing.T) {
	now := timestamppb.Now()
	var stream strings.Builder
	stream.WriteString(traceLine(t, &controlapi.StatusResponse{
		Vertexes: []*controlapi.Vertex{{Digest: "d0", Name: "[internal] load build context", Started: now}},
		Statuses: []*controlapi.VertexStatus{{ID: "transferring context:", Vertex: "d0", Current: 1000}},
	}))
	stream.WriteString(traceLine(t, &controlapi.StatusResponse{Statuses: []*controlapi.VertexStatus{
		{ID: "transferring context:", Vertex: "d0", Current: 4096, Completed: now},
		{ID: "transferring dockerfile:", Vertex: "d1", Current: 77, Completed: now},
		{ID: "extracting sha256:abc", Vertex: "d2", Current: 5},
	}}))
	st := newBKStatus(nil)
	if err := st.read(strings.NewReader(stream.String())); err != nil {
		t.Fatal(err)
	}
	want := []Transfer{
		{Vertex: "[internal] load build context", Name: "context", Bytes: 4096, Done: true},
		{Vertex: "d1", Name: "dockerfile", Bytes: 77, Done: true},
	}
	if got := st.transferList(); !reflect.DeepEqual(got, want) {
		t.Errorf("transfers = %+v\nwant %+v", got, want)
	}
}

// TestStepNamePadded: with ten steps or more BuildKit pads the step
// number, and those steps must count like the others.
func TestStepNamePadded(t *testing.T) {
	for name, want := range map[string]string{
		"[ 2/10] RUN apt-get update":        "RUN apt-get update",
		"[build  3/12] COPY . /src":         "COPY . /src",
		"[10/10] RUN apt-get install -y gu": "RUN apt-get install -y gu",
		"[internal] load build context":     "",
	} {
		got := ""
		if stepName.MatchString(name) {
			got = Step{Name: name}.Instruction()
		}
		if got != want {
			t.Errorf("%q: instruction %q, want %q", name, got, want)
		}
	}
	res := newResult("", []Step{{Name: "[ 1/10] FROM docker.io/library/debian:bookworm"}, {Name: "[ 2/10] RUN apt-get update", Cached: true}})
	if res.Steps != 1 || res.CachedSteps != 1 {
		t.Errorf("padded steps counted %d, cached %d; want 1, 1", res.Steps, res.CachedSteps)
	}
}

// A missing Dockerfile or context is bad input, refused before the
// Engine is asked.
func TestBuildBadInput(t *testing.T) {
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(df, []byte("FROM busybox\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		spec Spec
		want string
	}{
		{"missing Dockerfile", Spec{Tag: "t", Dockerfile: filepath.Join(dir, "nope"), ContextDir: dir}, "reading the Dockerfile"},
		{"missing context", Spec{Tag: "t", Dockerfile: df, ContextDir: filepath.Join(dir, "nope")}, "reading the build context"},
		{"context is a file", Spec{Tag: "t", Dockerfile: df, ContextDir: df}, "is not a directory"},
	} {
		_, err := Build(t.Context(), nil, tt.spec)
		if !vocab.IsInput(err) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Build = %v, want an input error with %q", tt.name, err, tt.want)
		}
	}
}
