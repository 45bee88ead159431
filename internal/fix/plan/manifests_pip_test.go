package plan_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/fix/plan"
	"github.com/stratatools/strata/internal/rules"
)

// TestManifestsFirstRequirementPaths: what a requirement file names in
// the context (a local project, an archive, a nested requirement file, a
// --find-links directory) is copied with it, where the install expects
// it; a path that cannot be told keeps the install after the source.
func TestManifestsFirstRequirementPaths(t *testing.T) {
	first := fxTestRule(func(p *rules.Pass) *edit.Fix {
		for _, in := range p.File.Instructions {
			if in.Cmd == "copy" {
				return plan.ManifestsFirst(input{p}, in)
			}
		}
		return nil
	})
	src := "FROM debian:bookworm\nCOPY . /app\nWORKDIR /app\nRUN python3 -m venv /opt/venv && /opt/venv/bin/pip install -r requirements.txt\nCMD [\"/opt/venv/bin/python\", \"app.py\"]\n"
	cases := []struct {
		name  string
		files map[string]string
		want  string // "" when the COPY must stay
	}{
		{name: "a local project with a C extension",
			files: map[string]string{"requirements.txt": "# built here\n./yamlstat\nflask==3.0 # from the index\n", "yamlstat/setup.py": "", "app.py": ""},
			want: "FROM debian:bookworm\nWORKDIR /app\nCOPY requirements.txt /app/\nCOPY yamlstat/ /app/yamlstat/\nRUN python3 -m venv /opt/venv && " +
				"/opt/venv/bin/pip install -r requirements.txt\nCOPY . /app\nCMD [\"/opt/venv/bin/python\", \"app.py\"]\n"},
		{name: "a nested requirement file, an editable project and a wheel directory",
			files: map[string]string{"requirements.txt": "-r requirements/base.txt\n-e libs/core\n--find-links=wheels\n", "requirements/base.txt": "-c constraints.txt\nrequests\n",
				"requirements/constraints.txt": "requests<3\n", "libs/core/pyproject.toml": "", "wheels/x.whl": "", "app.py": ""},
			want: "FROM debian:bookworm\nWORKDIR /app\nCOPY requirements.txt /app/\nCOPY requirements/base.txt /app/requirements/base.txt\n" +
				"COPY requirements/constraints.txt /app/requirements/constraints.txt\nCOPY libs/core/ /app/libs/core/\nCOPY wheels/ /app/wheels/\n" +
				"RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install -r requirements.txt\nCOPY . /app\nCMD [\"/opt/venv/bin/python\", \"app.py\"]\n"},
		{name: "a local project the context lacks",
			files: map[string]string{"requirements.txt": "./vendor/lib\n", "app.py": ""}},
		{name: "a file: URL",
			files: map[string]string{"requirements.txt": "lib @ file:///app/lib\n", "lib/setup.py": "", "app.py": ""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for f, body := range c.files {
				p := filepath.Join(dir, filepath.FromSlash(f))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			bc, err := rules.LoadBuildContext(dir, "")
			if err != nil {
				t.Fatal(err)
			}
			fix := fxRun(t, src, bc, first)
			if c.want == "" {
				if fix != nil {
					t.Fatalf("the install moved before the source: %s\n%s", fix.Message, fxApply(t, src, fix))
				}
				return
			}
			if fix == nil {
				t.Fatal("no fix")
			}
			if got := fxApply(t, src, fix); got != c.want {
				t.Fatalf("got:\n%s\nwant:\n%s\n(message: %s)", got, c.want, fix.Message)
			}
		})
	}
}
