package image_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source/archive"
)

func writeDockerfile(t *testing.T, text string) *image.Dockerfile {
	t.Helper()
	p := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	df, err := image.LoadDockerfile(p)
	if err != nil {
		t.Fatal(err)
	}
	return df
}

// classicArchive writes imagetest.Classic as a docker save archive.
func classicArchive(t *testing.T) string {
	return imagetest.WriteTemp(t, "img.tar", imagetest.DockerSaveOld(t, imagetest.Classic(t), "classic:1"))
}

// analyzeWithChecks analyzes the archive at p with strata's checks, so
// that placing findings on Dockerfile lines can be seen.
func analyzeWithChecks(t *testing.T, p string, df *image.Dockerfile) *image.Result {
	t.Helper()
	r, err := image.Analyze(context.Background(), archive.New(p, archive.Options{}), image.Options{Dockerfile: df, Checks: check.All()})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDockerfileMappingClassic(t *testing.T) {
	df := writeDockerfile(t, imagetest.ClassicDockerfile)
	if df.From.Line != 2 || len(df.Steps) != 6 {
		t.Fatalf("dockerfile = %+v", df)
	}
	r := analyzeWithChecks(t, classicArchive(t), df)
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
}

func TestDockerfileMappingMismatch(t *testing.T) {
	df := writeDockerfile(t, "FROM debian\nRUN a\nWORKDIR /x\nCOPY . /app\nRUN rm -rf /var/lib/apt/lists\nCMD [\"/app/run\"]\n")
	r := analyzeWithChecks(t, classicArchive(t), df)
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
}

func TestDockerfileMultiStageChain(t *testing.T) {
	df := writeDockerfile(t, "FROM debian AS base\nRUN a\nFROM golang AS build\nRUN go build\nFROM base\nCOPY --from=build /x /x\nUSER 1000\n")
	if df.From.Line != 1 || len(df.Steps) != 3 || df.Steps[0].Keyword != "RUN" || df.Steps[1].Keyword != "COPY" || df.Steps[2].Keyword != "USER" {
		t.Fatalf("chain = %+v", df)
	}
}
