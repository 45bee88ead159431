package image

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func writeDockerfile(t *testing.T, text string) *Dockerfile {
	t.Helper()
	p := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	df, err := LoadDockerfile(p)
	if err != nil {
		t.Fatal(err)
	}
	return df
}

// classicArchive writes an image with the classic builder's history (base
// steps, then one entry per instruction, metadata ones empty) as a docker
// save archive.
func classicArchive(t *testing.T) string {
	img := buildImage(t, []step{
		{createdBy: "/bin/sh -c #(nop) ADD file:0123 in / ", entries: []tentry{dir("etc/"), file("etc/os-release", "debian")}},
		{createdBy: `/bin/sh -c #(nop)  CMD ["bash"]`},
		{createdBy: "/bin/sh -c #(nop)  ENV APP=/app"},
		{createdBy: "|1 VERSION=1 /bin/sh -c mkdir -p /var/lib/apt/lists && head -c 2000000 /dev/urandom > /var/lib/apt/lists/x", entries: []tentry{blob("var/lib/apt/lists/x", 2*mb, 1)}},
		{createdBy: "/bin/sh -c #(nop) COPY dir:abcd in /app ", entries: []tentry{dir("app/"), file("app/.env", "SECRET_KEY=abc")}},
		{createdBy: "/bin/sh -c rm -rf /var/lib/apt/lists", entries: []tentry{whiteout("var/lib/apt/lists")}},
		{createdBy: `/bin/sh -c #(nop)  CMD ["/app/run"]`},
	}, func(c *v1.Config) { c.Env = []string{"APP=/app", "DB_PASSWORD=hunter22"} })
	return writeTemp(t, "img.tar", dockerSaveOld(t, img, "classic:1"))
}

func TestDockerfileMappingClassic(t *testing.T) {
	const text = `# syntax=docker/dockerfile:1
FROM debian:bookworm
ENV APP=/app
ARG VERSION=1
RUN mkdir -p /var/lib/apt/lists \
 && head -c 2000000 /dev/urandom > /var/lib/apt/lists/x
COPY . /app
RUN rm -rf /var/lib/apt/lists
CMD ["/app/run"]
`
	df := writeDockerfile(t, text)
	if df.From.Line != 2 || len(df.Steps) != 6 {
		t.Fatalf("dockerfile = %+v", df)
	}
	r, err := analyzeRef(t, classicArchive(t), Options{Dockerfile: df})
	if err != nil {
		t.Fatal(err)
	}
	m := r.Dockerfile
	// ARG made no history entry in this builder: skipped, not a mismatch.
	if !m.Complete || m.Mapped != 5 || r.Base.Source != "dockerfile" || r.Base.Layers != 1 || m.BaseHistory != 2 {
		t.Fatalf("mapping = %+v base = %+v", m, r.Base)
	}
	if r.Layers[1].Line != 5 || r.Layers[1].EndLine != 6 || r.Layers[2].Line != 7 || r.Layers[3].Line != 8 {
		t.Fatalf("layer lines: %+v", r.Layers)
	}
	if !r.History[1].Base || r.History[2].Base || r.History[2].Line != 3 {
		t.Fatalf("history = %+v", r.History)
	}
	lines := map[string]int{}
	for _, f := range r.Findings {
		lines[f.Rule] = f.Line
	}
	// SI001 on the RUN that created the lists; SI033 on the COPY; the
	// environment secret on its ENV? It is set by no ENV line here, so on
	// FROM; no USER: on FROM; no HEALTHCHECK: on FROM.
	want := map[string]int{"SI001": 5, "SI033": 7, "SI034": 2, "SI030": 2, "SI040": 2}
	for rule, line := range want {
		if lines[rule] != line {
			t.Errorf("%s on line %d, want %d (all: %v)", rule, lines[rule], line, lines)
		}
	}
	rep, err := LintReport(r, df, DefaultRules(), "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Files) != 1 || rep.Files[0].File != df.Path || len(rep.Files[0].Findings) != len(r.Findings) || len(rep.Rules) == 0 {
		t.Fatalf("report = %+v", rep)
	}
	if len(rep.Files[0].Lines) == 0 || !strings.Contains(rep.Files[0].Findings[0].Message, "layer") && rep.Files[0].Findings[0].Rule != "SI030" {
		t.Fatalf("report findings = %+v", rep.Files[0].Findings)
	}
}

func TestDockerfileMappingMismatch(t *testing.T) {
	df := writeDockerfile(t, "FROM debian\nRUN a\nWORKDIR /x\nCOPY . /app\nRUN rm -rf /var/lib/apt/lists\nCMD [\"/app/run\"]\n")
	r, err := analyzeRef(t, classicArchive(t), Options{Dockerfile: df})
	if err != nil {
		t.Fatal(err)
	}
	m := r.Dockerfile
	if m.Complete || m.Mapped != 3 || m.BaseLayers != -1 || !strings.Contains(m.Note, "line 3") {
		t.Fatalf("mapping = %+v", m)
	}
	// The base then comes from the history.
	if r.Base.Source != "history" || r.Base.Layers != 1 {
		t.Fatalf("base = %+v", r.Base)
	}
	if r.Layers[2].Line != 4 || r.Layers[1].Line != 0 {
		t.Fatalf("partial mapping: %+v", r.Layers)
	}
	if _, err := LintReport(r, nil, nil, ""); err == nil {
		t.Fatal("a report without a Dockerfile")
	}
}

func TestDockerfileMultiStageChain(t *testing.T) {
	df := writeDockerfile(t, "FROM debian AS base\nRUN a\nFROM golang AS build\nRUN go build\nFROM base\nCOPY --from=build /x /x\nUSER 1000\n")
	if df.From.Line != 1 || len(df.Steps) != 3 || df.Steps[0].Keyword != "RUN" || df.Steps[1].Keyword != "COPY" || df.Steps[2].Keyword != "USER" {
		t.Fatalf("chain = %+v", df)
	}
}
