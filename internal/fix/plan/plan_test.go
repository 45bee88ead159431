package plan_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/fix/plan"
	"github.com/stratatools/strata/internal/rules"
	"github.com/stratatools/strata/internal/vocab"
)

// fxCase runs one transform through the rule engine, the way a checklist
// rule calls it, on src with a build context holding files.
type fxCase struct {
	name  string
	src   string
	files []string // context files (contents do not matter)
	want  string   // "" when the transform must not apply
	again bool     // the transform applies again to its result (another step)
}

// input gives a planner what it reads from a rule's pass, as the rules
// engine does.
type input struct{ p *rules.Pass }

func (x input) Dockerfile() *dockerfile.File                    { return x.p.File }
func (x input) BuildContext() plan.Context                      { return x.p.Context }
func (x input) Shell(in *dockerfile.Instruction) []*edit.Script { return x.p.Shell(in) }

// fxTestRule wraps a transform in a rule, as the checklist rules do.
func fxTestRule(apply func(p *rules.Pass) *edit.Fix) *rules.Rule {
	return &rules.Rule{ID: "T900", Name: "fx-test", Severity: vocab.Warning, Category: vocab.Size,
		Check: func(p *rules.Pass) error {
			if fix := apply(p); fix != nil {
				p.ReportFix(nil, fix, "transform")
			}
			return nil
		}}
}

// fxContext makes a build context directory holding files.
func fxContext(t *testing.T, files []string) *rules.BuildContext {
	t.Helper()
	dir := t.TempDir()
	for _, name := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, "/") {
			continue
		}
		body := "x\n"
		if strings.HasSuffix(name, ".json") {
			body = "{}\n"
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bc, err := rules.LoadBuildContext(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	return bc
}

// fxRun lints src with rule and returns its first fix.
func fxRun(t *testing.T, src string, bc *rules.BuildContext, rule *rules.Rule) *edit.Fix {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatalf("input does not parse: %v", err)
	}
	res, err := rules.Run(context.Background(), f, bc, rules.Options{Rules: []*rules.Rule{rule}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		if d.Fix != nil {
			return d.Fix
		}
	}
	return nil
}

// fxApply applies a fix's edits to src.
func fxApply(t *testing.T, src string, fix *edit.Fix) string {
	t.Helper()
	edits := append([]edit.TextEdit(nil), fix.Edits...)
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].Pos != edits[j].Pos {
			return edits[i].Pos > edits[j].Pos
		}
		return edits[i].End > edits[j].End
	})
	out := src
	for _, e := range edits {
		if e.Pos < 0 || e.End < e.Pos || e.End > len(src) {
			t.Fatalf("bad edit %+v", e)
		}
		out = out[:e.Pos] + e.NewText + out[e.End:]
	}
	return out
}

// fxCheck runs the cases: the fix must give want, be unsafe with a
// message, re-parse, keep every comment, and not apply again.
func fxCheck(t *testing.T, cases []fxCase, apply func(p *rules.Pass) *edit.Fix) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bc := fxContext(t, c.files)
			rule := fxTestRule(apply)
			fix := fxRun(t, c.src, bc, rule)
			if c.want == "" {
				if fix != nil {
					t.Fatalf("unexpected fix %q:\n%s", fix.Message, fxApply(t, c.src, fix))
				}
				return
			}
			if fix == nil {
				t.Fatal("no fix")
			}
			if !fix.Unsafe || fix.Message == "" {
				t.Errorf("fix must be unsafe and explained: %+v", fix)
			}
			got := fxApply(t, c.src, fix)
			if got != c.want {
				t.Fatalf("got:\n%s\nwant:\n%s\n(message: %s)", got, c.want, fix.Message)
			}
			orig, _ := dockerfile.Parse("Dockerfile", []byte(c.src))
			if _, err := dockerfile.Parse("Dockerfile", []byte(got)); err != nil {
				t.Fatalf("result does not parse: %v", err)
			}
			for _, cm := range orig.Comments {
				if !strings.Contains(got, cm.Text) {
					t.Errorf("comment %q lost", cm.Text)
				}
			}
			if again := fxRun(t, got, bc.WithFiles(fix.Create), rule); again != nil && !c.again {
				t.Fatalf("not idempotent: a second run proposes %q:\n%s", again.Message, fxApply(t, got, again))
			}
		})
	}
}

func TestManifestsFirst(t *testing.T) {
	firstContextCopy := func(p *rules.Pass) *edit.Fix {
		for _, in := range p.File.Instructions {
			if in.Cmd == "copy" || in.Cmd == "add" {
				if fix := plan.ManifestsFirst(input{p}, in); fix != nil {
					return fix
				}
			}
		}
		return nil
	}
	fxCheck(t, []fxCase{
		{name: "seeds exercise: system packages move above the source",
			src: "FROM debian:bookworm\n\nRUN apt-get update\nRUN apt-get install -y python3\n\n" +
				"# the whole app\nCOPY . /app/\nWORKDIR /app\n\nRUN apt-get install -y python3-flask\nRUN apt-get install -y gunicorn\n\nEXPOSE 8000\n\nCMD python3 app.py\n",
			files: []string{"app.py", "requirements.txt"},
			want: "FROM debian:bookworm\n\nRUN apt-get update\nRUN apt-get install -y python3\n\n" +
				"WORKDIR /app\n\nRUN apt-get install -y python3-flask\nRUN apt-get install -y gunicorn\n# the whole app\nCOPY . /app/\n\nEXPOSE 8000\n\nCMD python3 app.py\n"},
		{name: "pip requirements are copied first",
			src:   "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
			files: []string{"app.py", "requirements.txt"},
			want:  "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt /app/\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n"},
		{name: "npm ci with its lock file",
			src:   "FROM node:20-slim\nWORKDIR /srv\nCOPY . /srv\nRUN npm ci --omit=dev\nRUN npm run build\nCMD [\"node\", \"dist/index.js\"]\n",
			files: []string{"package.json", "package-lock.json", "src/index.ts"},
			want:  "FROM node:20-slim\nWORKDIR /srv\nCOPY package.json package-lock.json /srv/\nRUN npm ci --omit=dev\nCOPY . /srv\nRUN npm run build\nCMD [\"node\", \"dist/index.js\"]\n"},
		{name: "Go modules get their own layer",
			src:   "FROM golang:1.22\nCOPY . /src\nWORKDIR /src\nRUN go build -o /app .\nCMD [\"/app\"]\n",
			files: []string{"go.mod", "go.sum", "main.go"},
			want:  "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum /src/\nRUN go mod download\nCOPY . /src\nRUN go build -o /app .\nCMD [\"/app\"]\n"},
		{name: "Go modules downloaded before the copy when nothing is between",
			src:   "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n",
			files: []string{"go.mod", "main.go"},
			want:  "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod /src/\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n"},
		{name: "Go from Debian's golang-go: the download follows its install",
			src:   "FROM debian:bookworm\nCOPY . /src\nWORKDIR /src\nRUN apt-get update && apt-get install -y golang-go\nRUN go build -o /app .\nCMD [\"/app\"]\n",
			files: []string{"go.mod", "main.go"},
			want:  "FROM debian:bookworm\nWORKDIR /src\nRUN apt-get update && apt-get install -y golang-go\nCOPY go.mod /src/\nRUN go mod download\nCOPY . /src\nRUN go build -o /app .\nCMD [\"/app\"]\n"},
		{name: "Go installed in the RUN that builds: no download before it; the install moves above the COPY on its own",
			src:   "FROM debian:bookworm\nWORKDIR /src\nCOPY . .\nRUN apt-get update && apt-get install -y golang-go && go build -o /app .\nCMD [\"/app\"]\n",
			files: []string{"go.mod", "main.go"},
			// The next pass adds the module download after the install.
			want: "FROM debian:bookworm\nWORKDIR /src\nRUN apt-get update && apt-get install -y golang-go\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n", again: true},
		{name: "npm with its .npmrc",
			src:   "FROM node:20-slim\nWORKDIR /srv\nCOPY . /srv\nRUN npm install\nCMD [\"node\", \"index.js\"]\n",
			files: []string{"package.json", ".npmrc", "index.js"},
			want:  "FROM node:20-slim\nWORKDIR /srv\nCOPY package.json .npmrc /srv/\nRUN npm install\nCOPY . /srv\nCMD [\"node\", \"index.js\"]\n"},
		{name: "a relative destination does not move past a WORKDIR",
			src:   "FROM debian:bookworm\nCOPY . app\nWORKDIR /app\nRUN apt-get install -y curl\n",
			files: []string{"x"}},
		{name: "an install that reads the source stays",
			src:   "FROM python:3.12\nCOPY . /app\nWORKDIR /app\nRUN pip install .\n",
			files: []string{"pyproject.toml"}},
		{name: "nothing after the copy",
			src:   "FROM debian:bookworm\nRUN apt-get install -y curl\nCOPY . /app\nCMD [\"sh\"]\n",
			files: []string{"x"}},
		{name: "a manifest the context lacks",
			src:   "FROM python:3.12\nCOPY . /app\nWORKDIR /app\nRUN pip install -r requirements/prod.txt\n",
			files: []string{"app.py"}},
	}, firstContextCopy)
}

// TestManifestsFirstLocalPackages: an install that reads more than the
// manifests (a file: dependency, workspaces, an install script) stays
// after the COPY of the source.
func TestManifestsFirstLocalPackages(t *testing.T) {
	src := "FROM node:20-slim\nWORKDIR /srv\nCOPY . /srv\nRUN npm install\nCMD [\"node\", \"index.js\"]\n"
	first := fxTestRule(func(p *rules.Pass) *edit.Fix {
		for _, in := range p.File.Instructions {
			if in.Cmd == "copy" {
				return plan.ManifestsFirst(input{p}, in)
			}
		}
		return nil
	})
	for name, pkg := range map[string]string{
		"file dependency": `{"dependencies": {"visits": "file:./lib/visits"}}`,
		"workspaces":      `{"workspaces": ["packages/*"]}`,
		"install script":  `{"scripts": {"postinstall": "node tools/patch.js"}}`,
		"not JSON":        `{`,
	} {
		dir := t.TempDir()
		for f, body := range map[string]string{"package.json": pkg, "index.js": ""} {
			if err := os.WriteFile(filepath.Join(dir, f), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		bc, err := rules.LoadBuildContext(dir, "")
		if err != nil {
			t.Fatal(err)
		}
		if fix := fxRun(t, src, bc, first); fix != nil {
			t.Errorf("%s: the install moved before the source: %s", name, fix.Message)
		}
	}
}

func TestNonRoot(t *testing.T) {
	final := func(p *rules.Pass) *edit.Fix { return plan.NonRoot(input{p}, p.File.FinalStage()) }
	fxCheck(t, []fxCase{
		{name: "Debian: a user with a home after the last RUN, before the metadata",
			src:  "FROM debian:bookworm\nRUN apt-get install -y curl\nEXPOSE 8080\n# start\nCMD [\"curl\"]\n",
			want: "FROM debian:bookworm\nRUN apt-get install -y curl\nRUN useradd --create-home --uid 10001 --user-group app\nUSER app\nEXPOSE 8080\n# start\nCMD [\"curl\"]\n"},
		{name: "Alpine: BusyBox adduser with a home",
			src:  "from alpine:3.20\nrun apk add --no-cache curl\nentrypoint [\"curl\"]\n",
			want: "from alpine:3.20\nrun apk add --no-cache curl\nrun adduser -D -u 10001 -h /home/app app\nuser app\nentrypoint [\"curl\"]\n"},
		{name: "Alpine: the data directory and the VOLUME are the user's, chowned before the VOLUME",
			src: "FROM alpine:3.20\nRUN apk add --no-cache sqlite && mkdir -p /data\nWORKDIR /srv/app\nCOPY app /srv/app/\n" +
				"VOLUME /data\nEXPOSE 8080\nENV DB=/data/app.db\nCMD [\"/srv/app/app\"]\n",
			want: "FROM alpine:3.20\nRUN apk add --no-cache sqlite && mkdir -p /data\nWORKDIR /srv/app\nCOPY app /srv/app/\n" +
				"RUN adduser -D -u 10001 -h /home/app app \\\n    && chown -R app /data \\\n    && chown app /srv/app\nUSER app\n" +
				"VOLUME /data\nEXPOSE 8080\nENV DB=/data/app.db\nCMD [\"/srv/app/app\"]\n"},
		{name: "a VOLUME no RUN makes is made and given to the user",
			src:  "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends redis-tools\nVOLUME [\"/srv/data\"]\nEXPOSE 8080\nCMD [\"redis-cli\"]\n",
			want: "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends redis-tools\nRUN useradd --create-home --uid 10001 --user-group app \\\n    && mkdir -p /srv/data \\\n    && chown -R app /srv/data\nUSER app\nVOLUME [\"/srv/data\"]\nEXPOSE 8080\nCMD [\"redis-cli\"]\n"},
		{name: "a tool working in a host directory (a VOLUME, no port): a fixed UID could not write it",
			src: "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends inkscape\nVOLUME /workspace\nWORKDIR /workspace\nENTRYPOINT [\"inkscape\"]\n"},
		{name: "a quoted WORKDIR, and the owner the file gives its files to",
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends openssl\nWORKDIR \"/app\"\nRUN chown nobody /app\n" +
				"COPY --chown=nobody:root rel ./\nEXPOSE 4000\nCMD [\"/app/bin/server\"]\n",
			want: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends openssl\nWORKDIR \"/app\"\nRUN chown nobody /app\n" +
				"COPY --chown=nobody:root rel ./\nUSER nobody\nEXPOSE 4000\nCMD [\"/app/bin/server\"]\n"},
		{name: "a state directory the command names is the user's",
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends tor && mkdir -p /var/lib/svc /opt/tool\n" +
				"CMD [\"svc\", \"--state=/var/lib/svc\"]\n",
			want: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends tor && mkdir -p /var/lib/svc /opt/tool\n" +
				"RUN useradd --create-home --uid 10001 --user-group app \\\n    && chown -R app /var/lib/svc\nUSER app\n" +
				"CMD [\"svc\", \"--state=/var/lib/svc\"]\n"},
		{name: "node images ship the user node",
			src:  "FROM node:20-slim\nWORKDIR /usr/src/app\nCOPY . .\nRUN npm ci --omit=dev\nCMD [\"node\", \"server.js\"]\n",
			want: "FROM node:20-slim\nWORKDIR /usr/src/app\nCOPY . .\nRUN npm ci --omit=dev\nRUN chown node /usr/src/app\nUSER node\nCMD [\"node\", \"server.js\"]\n"},
		{name: "the user the Dockerfile creates but never switches to",
			src:  "FROM python:3.12-slim\nRUN useradd --create-home nonroot\nCOPY app.py /home/nonroot/\nCMD [\"python\", \"/home/nonroot/app.py\"]\n",
			want: "FROM python:3.12-slim\nRUN useradd --create-home nonroot\nCOPY app.py /home/nonroot/\nUSER nonroot\nCMD [\"python\", \"/home/nonroot/app.py\"]\n"},
		{name: "a RUN after the ENTRYPOINT still runs as root",
			src: "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends python3\nENTRYPOINT [\"python3\", \"-m\", \"http.server\", \"8000\"]\n" +
				"RUN echo 'conf' > /usr/local/etc/app.conf\n",
			want: "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends python3\nENTRYPOINT [\"python3\", \"-m\", \"http.server\", \"8000\"]\n" +
				"RUN echo 'conf' > /usr/local/etc/app.conf\nRUN useradd --create-home --uid 10001 --user-group app\nUSER app\n"},
		{name: "scratch: numeric user",
			src:  "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
			want: "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nUSER 10001:10001\nCMD [\"/app\"]\n"},
		{name: "distroless: its nonroot user",
			src:  "FROM gcr.io/distroless/static-debian12\nCOPY app /app\nCMD [\"/app\"]\n",
			want: "FROM gcr.io/distroless/static-debian12\nCOPY app /app\nUSER 65532:65532\nCMD [\"/app\"]\n"},
		{name: "ubi-micro has no useradd: numeric USER, no RUN",
			src:  "FROM registry.access.redhat.com/ubi9/ubi-micro:latest\nCOPY app /usr/bin/app\nENTRYPOINT [\"/usr/bin/app\"]\n",
			want: "FROM registry.access.redhat.com/ubi9/ubi-micro:latest\nCOPY app /usr/bin/app\nUSER 10001:10001\nENTRYPOINT [\"/usr/bin/app\"]\n"},
		{name: "a stateful server whose data directory comes at run time",
			src: "FROM scratch\nCOPY minio /minio\nCMD [\"/minio\"]\n"},
		{name: "ubi-micro with a VOLUME: no RUN can hand it over",
			src: "FROM registry.access.redhat.com/ubi9/ubi-micro:latest\nCOPY minio /usr/bin/minio\nVOLUME [\"/data\"]\nENTRYPOINT [\"/usr/bin/minio\"]\n"},
		{name: "no CMD: at the end, even without a final newline",
			src:  "FROM debian:bookworm\nRUN true",
			want: "FROM debian:bookworm\nRUN true\nRUN useradd --create-home --uid 10001 --user-group app\nUSER app\n"},
		{name: "CRLF file",
			src:  "FROM debian:bookworm\r\nCMD [\"bash\"]\r\n",
			want: "FROM debian:bookworm\r\nRUN useradd --create-home --uid 10001 --user-group app\r\nUSER app\r\nCMD [\"bash\"]\r\n"},
		{name: "a port below 1024 cannot be bound by a user everywhere",
			src: "FROM python:3.12-slim\nRUN pip install gunicorn\nEXPOSE 80\nCMD [\"gunicorn\", \"-b\", \":80\", \"app:app\"]\n"},
		{name: "a base whose user tools are unknown",
			src: "FROM quay.io/acme/runtime:1\nCOPY app /app\nCMD [\"/app\"]\n"},
		{name: "ONBUILD triggers would run as the user",
			src: "FROM debian:bookworm\nONBUILD RUN make\nCMD [\"bash\"]\n"},
		{name: "HOME is /root",
			src: "FROM debian:bookworm\nENV HOME=/root\nCMD [\"bash\"]\n"},
		{name: "already unprivileged",
			src: "FROM debian:bookworm\nUSER nobody\nCMD [\"bash\"]\n"},
		{name: "inherits an unprivileged user",
			src: "FROM debian:bookworm AS base\nUSER nobody\nFROM base\nCMD [\"bash\"]\n"},
		{name: "the user named before switching back to root",
			src:  "FROM debian:bookworm\nRUN useradd -m svc\nUSER svc\nRUN touch /home/svc/x\nUSER root\nRUN apt-get update\nCMD [\"bash\"]\n",
			want: "FROM debian:bookworm\nRUN useradd -m svc\nUSER svc\nRUN touch /home/svc/x\nUSER root\nRUN apt-get update\nUSER svc\nCMD [\"bash\"]\n"},
	}, final)
}

func TestDockerignore(t *testing.T) {
	dockerignore := func(p *rules.Pass) *edit.Fix { return plan.Dockerignore(input{p}) }
	fxCheck(t, []fxCase{
		{name: "Node project with dependencies, history and a copied dist",
			src:   "FROM node:20-slim\nCOPY dist/ /app/dist/\nCOPY . /app\n",
			files: []string{".git/HEAD", "node_modules/x/index.js", "package.json", "dist/index.js", "build/tmp", ".vscode/settings.json"},
			want:  "FROM node:20-slim\nCOPY dist/ /app/dist/\nCOPY . /app\n"},
		{name: "an ignore file already there",
			src:   "FROM debian:bookworm\nCOPY . /app\n",
			files: []string{".dockerignore", ".git/HEAD"}},
	}, dockerignore)

	bc := fxContext(t, []string{".git/HEAD", ".env", "Dockerfile", "node_modules/x/index.js", "package.json", "dist/index.js", "build/tmp", "app.py", ".venv/bin/python"})
	fix := fxRun(t, "FROM node:20-slim\nCOPY dist/ /app/dist/\nCOPY . /app\n", bc, fxTestRule(dockerignore))
	if fix == nil || len(fix.Create) != 1 || fix.Create[0].Path != ".dockerignore" {
		t.Fatalf("want a .dockerignore: %+v", fix)
	}
	content := fix.Create[0].Content
	for _, want := range []string{"\n.git\n", "\n.env\n", "\n**/node_modules\n", "\n.venv\n", "\n**/__pycache__\n", "\nbuild\n", "\nDockerfile*\n"} {
		if !strings.Contains(content, want) {
			t.Errorf(".dockerignore lacks %q:\n%s", strings.TrimSpace(want), content)
		}
	}
	if strings.Contains(content, "\ndist\n") {
		t.Errorf("dist is copied on purpose and must not be ignored:\n%s", content)
	}
	named := fxRun(t, "FROM debian:bookworm\nCOPY Dockerfile /usr/share/doc/app/\nCOPY . /app\n", bc, fxTestRule(dockerignore))
	if named == nil || strings.Contains(named.Create[0].Content, "Dockerfile*") {
		t.Errorf("a Dockerfile copied on purpose must not be ignored: %+v", named)
	}
	if !strings.Contains(fix.Message, "node_modules") {
		t.Errorf("message does not say what is left out: %s", fix.Message)
	}

	fxCheck(t, []fxCase{
		{name: "a context holding only the sources: nothing to leave out",
			src:   "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n",
			files: []string{"main.go", "go.mod", "go.sum"}},
		{name: "the COPY sources are not in this folder: the file is built from a parent",
			src:   "FROM rust:1.80\nCOPY ./Cargo.* ./rust-toolchain.toml ./\nCOPY . .\n",
			files: []string{"Dockerfile.alpine", "start.sh"}},
		{name: "a template",
			src:   "FROM {{ .base }}\nCOPY . /app\n",
			files: []string{"package.json"}},
	}, dockerignore)

	// A .NET project that has not been built here still gets bin/ and
	// obj/; a .env of public build settings stays.
	dir := t.TempDir()
	for name, body := range map[string]string{"app.csproj": "<Project/>", "Program.cs": "", ".env": "# public\nEXPO_PUBLIC_API=https://example.com\nNEXT_PUBLIC_X=1\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dn, err := rules.LoadBuildContext(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	net := fxRun(t, "FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY . /src\nRUN dotnet publish /src -o /out\n", dn, fxTestRule(dockerignore))
	if net == nil {
		t.Fatal("no .dockerignore for a .NET project")
	}
	for _, want := range []string{"\n**/bin\n", "\n**/obj\n"} {
		if !strings.Contains(net.Create[0].Content, want) {
			t.Errorf(".dockerignore lacks %q:\n%s", strings.TrimSpace(want), net.Create[0].Content)
		}
	}
	if strings.Contains(net.Create[0].Content, ".env") {
		t.Errorf("a .env of public build settings must stay in the context:\n%s", net.Create[0].Content)
	}
}

func TestMultiStage(t *testing.T) {
	final := func(p *rules.Pass) *edit.Fix { return plan.MultiStage(input{p}, p.File.FinalStage()) }
	fxCheck(t, []fxCase{
		{name: "Go binary onto scratch, built static (Debian 13: Go without a prebuilt standard library)",
			src: "FROM debian:trixie\nRUN apt-get update && apt-get install -y golang-go git\nCOPY . /src\nWORKDIR /src\n" +
				"RUN go build -o /usr/local/bin/hello .\n\nEXPOSE 8080\n# serve\nCMD /usr/local/bin/hello\n",
			want: "FROM debian:trixie AS build\nRUN apt-get update && apt-get install -y golang-go git\nCOPY . /src\nWORKDIR /src\n" +
				"RUN CGO_ENABLED=0 go build -o /usr/local/bin/hello .\n\nFROM scratch\nCOPY --from=build /usr/local/bin/hello /usr/local/bin/hello\nUSER 10001:10001\n" +
				"EXPOSE 8080\n# serve\nCMD [\"/usr/local/bin/hello\"]\n"},
		{name: "Debian 12's Go, prebuilt for cgo: the binary as built, onto the slim image",
			src: "FROM debian:bookworm\nRUN apt-get update && apt-get install -y golang-go\nCOPY . /src\nWORKDIR /src\n" +
				"RUN go build -o /usr/local/bin/hello .\nEXPOSE 8080\nCMD [\"/usr/local/bin/hello\"]\n",
			want: "FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y golang-go\nCOPY . /src\nWORKDIR /src\n" +
				"RUN go build -o /usr/local/bin/hello .\n\nFROM debian:bookworm-slim\nCOPY --from=build /usr/local/bin/hello /usr/local/bin/hello\nUSER 10001:10001\nEXPOSE 8080\nCMD [\"/usr/local/bin/hello\"]\n"},
		{name: "Go binary found on PATH, CGO already off, CA bundle kept",
			src: "FROM debian:bookworm\nENV CGO_ENABLED=0\nRUN apt-get install -y golang-go ca-certificates\nWORKDIR /src\nCOPY . .\n" +
				"RUN go build -o /usr/local/bin/svc ./cmd/svc\nENTRYPOINT [\"svc\", \"--serve\"]\n",
			want: "FROM debian:bookworm AS build\nENV CGO_ENABLED=0\nRUN apt-get install -y golang-go ca-certificates\nWORKDIR /src\nCOPY . .\n" +
				"RUN go build -o /usr/local/bin/svc ./cmd/svc\n\nFROM scratch\nENV CGO_ENABLED=0\n" +
				"COPY --from=build /usr/local/bin/svc /usr/local/bin/svc\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt\n" +
				"USER 10001:10001\nENTRYPOINT [\"/usr/local/bin/svc\", \"--serve\"]\n"},
		{name: "C built with make onto scratch",
			src: "FROM debian:bookworm\nRUN apt-get install -y gcc make libc6-dev\nCOPY . /src\nWORKDIR /src\nRUN make\nCMD ./hello\n",
			want: "FROM debian:bookworm AS build\nRUN apt-get install -y gcc make libc6-dev\nCOPY . /src\nWORKDIR /src\nRUN make LDFLAGS=-static\n\n" +
				"FROM scratch\nCOPY --from=build /src/hello /src/hello\nUSER 10001:10001\nCMD [\"/src/hello\"]\n"},
		{name: "C built with gcc in a chain, named stage kept",
			src: "FROM debian:bookworm AS toolchain\nRUN apt-get install -y gcc\nCOPY hello.c /src/\nRUN cd /src && gcc -O2 -o /usr/local/bin/hello hello.c\nCMD [\"hello\"]\n",
			want: "FROM debian:bookworm AS toolchain\nRUN apt-get install -y gcc\nCOPY hello.c /src/\nRUN cd /src && gcc -static -O2 -o /usr/local/bin/hello hello.c\n\n" +
				"FROM scratch\nCOPY --from=toolchain /usr/local/bin/hello /usr/local/bin/hello\nUSER 10001:10001\nCMD [\"/usr/local/bin/hello\"]\n"},
		{name: "a site served by BusyBox httpd onto busybox",
			src: "FROM debian:bookworm\nRUN apt-get install -y markdown busybox\nCOPY . /srv\nRUN markdown /srv/index.md > /var/www/index.html\n" +
				"EXPOSE 8081\nCMD busybox httpd -f -p 8081 -h /var/www\n",
			want: "FROM debian:bookworm AS build\nRUN apt-get install -y markdown\nCOPY . /srv\nRUN markdown /srv/index.md > /var/www/index.html\n\nFROM busybox:latest\nCOPY --from=build /var/www /var/www\nUSER 10001:10001\nEXPOSE 8081\nCMD [\"busybox\", \"httpd\", \"-f\", \"-p\", \"8081\", \"-h\", \"/var/www\"]\n"},
		{name: "a document root the command names is read, not written: busybox all the same",
			src: "FROM debian:bookworm\nRUN apt-get install -y markdown busybox\nCOPY . /srv\nRUN mkdir -p /var/www && markdown /srv/index.md > /var/www/index.html\n" +
				"CMD busybox httpd -f -p 8081 -h /var/www\n",
			want: "FROM debian:bookworm AS build\nRUN apt-get install -y markdown\nCOPY . /srv\nRUN mkdir -p /var/www && markdown /srv/index.md > /var/www/index.html\n\nFROM busybox:latest\nCOPY --from=build /var/www /var/www\nUSER 10001:10001\nCMD [\"busybox\", \"httpd\", \"-f\", \"-p\", \"8081\", \"-h\", \"/var/www\"]\n"},
		{name: "a VOLUME the program writes: no numeric user could on busybox",
			src: "FROM debian:bookworm\nRUN apt-get install -y busybox\nCOPY . /srv\nVOLUME /srv/upload\nCMD busybox httpd -f -p 8081 -h /srv\n"},
		{name: "Python on Debian packages with nothing to build: no build stage (SD403 drops the unused tools)",
			src: "FROM debian:bookworm\n\nRUN apt-get update\nRUN apt-get install -y python3\nRUN apt-get install -y python3-pip curl git\n\n" +
				"COPY . /app/\nWORKDIR /app\nRUN apt-get install -y python3-flask gunicorn\n\nEXPOSE 8000\n\nCMD python3 app.py\n"},
		{name: "Python with pip into /usr/local, ENV carried over",
			src: "FROM python:3.12\nENV PYTHONUNBUFFERED=1\nRUN apt-get update && apt-get install -y gcc libpq-dev\nWORKDIR /app\nCOPY . .\n" +
				"RUN pip install -r requirements.txt\nCMD [\"gunicorn\", \"app:app\"]\n",
			want: "FROM python:3.12 AS base\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*\n\nFROM base AS build\nENV PYTHONUNBUFFERED=1\nRUN apt-get update && apt-get install -y gcc libpq-dev\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n\nFROM base\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY --from=build /usr/local /usr/local\nCOPY --from=build /app /app\nRUN useradd --create-home --uid 10001 --user-group app \\\n    && chown app /app\nUSER app\nCMD [\"gunicorn\", \"app:app\"]\n"},
		{name: "Node with npm ci: dev dependencies pruned, npm left behind",
			src: "FROM debian:bookworm\nRUN apt-get update && apt-get install -y nodejs npm\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n" +
				"HEALTHCHECK CMD curl -f http://localhost:3000/ || exit 1\nCMD [\"node\", \"dist/server.js\"]\n",
			want: "FROM debian:bookworm AS base\nRUN apt-get update && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/*\n\nFROM base AS build\nRUN apt-get update && apt-get install -y npm\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\nRUN npm prune --omit=dev\n\nFROM base\nWORKDIR /app\nCOPY --from=build /app /app\nRUN useradd --create-home --uid 10001 --user-group app \\\n    && chown app /app\nUSER app\nHEALTHCHECK CMD curl -f http://localhost:3000/ || exit 1\nCMD [\"node\", \"dist/server.js\"]\n"},
		{name: "Java on Debian's JDK: a runtime jlink makes from it, only the jar",
			src: "FROM debian:bookworm\nRUN apt-get update && apt-get install -y openjdk-17-jdk-headless maven\nCOPY . /build\nWORKDIR /build\n" +
				"RUN mvn -q package\nCMD java -jar target/app.jar\n",
			want: "FROM debian:bookworm AS java-runtime\n" +
				"RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jdk-headless && rm -rf /var/lib/apt/lists/* \\\n" +
				" && jlink -J-XX:TieredStopAtLevel=1 --add-modules ALL-MODULE-PATH --strip-java-debug-attributes --no-man-pages --no-header-files --compress=2 --output /opt/java-runtime\n\n" +
				"FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y openjdk-17-jdk-headless maven\n" +
				"COPY . /build\nWORKDIR /build\nRUN mvn -q package\n\nFROM debian:bookworm\n" +
				"WORKDIR /build\nCOPY --from=java-runtime /opt/java-runtime /opt/java-runtime\nCOPY --from=build /build/target/app.jar /build/target/app.jar\n" +
				"RUN useradd --create-home --uid 10001 --user-group app \\\n    && chown app /build\nUSER app\nCMD [\"/opt/java-runtime/bin/java\", \"-jar\", \"target/app.jar\"]\n"},
		{name: "Java on Debian's JDK with a certificate added to the store: its JRE",
			src: "FROM debian:bookworm\nRUN apt-get update && apt-get install -y openjdk-17-jdk-headless maven\nCOPY corp.crt /usr/local/share/ca-certificates/\nRUN update-ca-certificates\n" +
				"COPY . /build\nWORKDIR /build\nRUN mvn -q package\nCMD java -jar target/app.jar\n",
			want: "FROM debian:bookworm AS base\nRUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless && rm -rf /var/lib/apt/lists/*\n\nFROM base AS build\nRUN apt-get update && apt-get install -y openjdk-17-jdk-headless maven\nCOPY corp.crt /usr/local/share/ca-certificates/\nRUN update-ca-certificates\nCOPY . /build\nWORKDIR /build\nRUN mvn -q package\n\nFROM base\nWORKDIR /build\nCOPY --from=build /build/target/app.jar /build/target/app.jar\nRUN useradd --create-home --uid 10001 --user-group app \\\n    && chown app /build\nUSER app\nCMD java -jar target/app.jar\n"},
		{name: "Java on Alpine's JDK: its JRE, only the jar",
			src:  "FROM alpine:3.20\nRUN apk add openjdk17 maven\nCOPY . /build\nWORKDIR /build\nRUN mvn -q package\nCMD java -jar target/app.jar\n",
			want: "FROM alpine:3.20 AS base\nRUN apk add --no-cache openjdk17-jre-headless\n\nFROM base AS build\nRUN apk add openjdk17 maven\nCOPY . /build\nWORKDIR /build\nRUN mvn -q package\n\nFROM base\nWORKDIR /build\nCOPY --from=build /build/target/app.jar /build/target/app.jar\nRUN adduser -D -u 10001 -h /home/app app \\\n    && chown app /build\nUSER app\nCMD java -jar target/app.jar\n"},
		{name: "Python with pip by name: the source, which no build step reads, is copied by the runtime stage, last",
			src: "FROM debian:bookworm\nRUN apt-get update && apt-get install -y python3 python3-pip curl\nWORKDIR /app\n" +
				"RUN pip3 install --break-system-packages flask\nCOPY . /app/\nCMD [\"python3\", \"app.py\"]\n",
			want: "FROM debian:bookworm AS base\nRUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*\n\n" +
				"FROM base AS build\nRUN apt-get update && apt-get install -y python3-pip\nWORKDIR /app\nRUN pip3 install --break-system-packages flask\n\n" +
				"FROM base\nWORKDIR /app\nCOPY --from=build /usr/local /usr/local\nCOPY . /app/\n" +
				"RUN useradd --create-home --uid 10001 --user-group app \\\n    && chown app /app\nUSER app\nCMD [\"python3\", \"app.py\"]\n"},
		{name: "Alpine Python with nothing to build: no build stage",
			src: "FROM alpine:3.20\nRUN apk add python3 py3-pip build-base\nCOPY app.py /app/\nCMD [\"python3\", \"/app/app.py\"]\n"},
		{name: "a cloned application with native Python packages: the clone and the shared libraries go along",
			src: "FROM python:3.12-alpine\nRUN apk add --no-cache gcc musl-dev git libxml2-dev libxslt-dev\nRUN pip install lxml\n" +
				"RUN git clone https://example.com/app.git /usr/src/app\nWORKDIR /usr/src/app\nEXPOSE 5050\nENTRYPOINT [\"python\", \"App.py\"]\n",
			want: "FROM python:3.12-alpine AS base\nRUN apk add --no-cache libxml2 libxslt\n\nFROM base AS build\nRUN apk add --no-cache gcc musl-dev git libxml2-dev libxslt-dev\nRUN pip install lxml\nRUN git clone https://example.com/app.git /usr/src/app\nWORKDIR /usr/src/app\n\nFROM base\nWORKDIR /usr/src/app\nCOPY --from=build /usr/local /usr/local\nCOPY --from=build /usr/src/app /usr/src/app\nRUN adduser -D -u 10001 -h /home/app app \\\n    && chown app /usr/src/app\nUSER app\nEXPOSE 5050\nENTRYPOINT [\"python\", \"App.py\"]\n"},
		{name: "curl kept for the health check a comment names",
			src:  "FROM python:3.12-alpine\n# curl for healthchecks\nRUN apk add curl gcc musl-dev\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
			want: "FROM python:3.12-alpine AS base\nRUN apk add --no-cache curl\n\nFROM base AS build\n# curl for healthchecks\nRUN apk add gcc musl-dev\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n\nFROM base\nWORKDIR /app\nCOPY --from=build /usr/local /usr/local\nCOPY --from=build /app /app\nRUN adduser -D -u 10001 -h /home/app app \\\n    && chown app /app\nUSER app\nCMD [\"python\", \"app.py\"]\n"},
		{name: "the file's own user and the directories it set up",
			src: "FROM python:3.12-alpine\nRUN apk add gcc musl-dev\nRUN adduser -D nonroot && mkdir -p /var/log/app && chown nonroot /var/log/app\nWORKDIR /home/app\n" +
				"USER nonroot\nCOPY . .\nRUN pip install --user -r requirements.txt\nCMD [\"python\", \"app.py\"]\n"},
		{name: "an interpreter with nothing to run is a base image",
			src: "FROM debian:bookworm\nRUN apt-get update && apt-get install -y python3 gcc\nCMD [\"python3\"]\n"},
		{name: "a build from source installs where the plan cannot see",
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gcc make wget\n" +
				"RUN wget -O python.tar.xz https://example.com/python.tar.xz && mkdir -p /usr/src/python && tar -xC /usr/src/python -f python.tar.xz && rm python.tar.xz && " +
				"cd /usr/src/python && ./configure && make install && rm -rf /usr/src/python\nCMD [\"python3\", \"/app.py\"]\n"},
		{name: "already multi-stage",
			src: "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nCMD [\"/app\"]\n"},
		{name: "no command to run",
			src: "FROM debian:bookworm\nRUN apt-get install -y gcc\n"},
		{name: "a shell script as the command",
			src: "FROM debian:bookworm\nCOPY . /app\nCMD cd /app && ./start.sh\n"},
		{name: "a system binary the build does not produce",
			src: "FROM debian:bookworm\nRUN apt-get install -y nginx\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"},
		{name: "a health check cannot run on scratch",
			src: "FROM golang:1.22\nCOPY . /src\nWORKDIR /src\nRUN go build -o /app .\nHEALTHCHECK CMD curl -f localhost\nCMD [\"/app\"]\n"},
	}, final)
}

// TestMultiStageOwnsTheTail checks that a non-root fix proposed in the
// same pass as the split (USER before CMD) overlaps the split, so the
// engine defers it instead of putting the user into the build stage.
func TestMultiStageOwnsTheTail(t *testing.T) {
	src := "FROM debian:bookworm\nRUN apt-get install -y gcc\nCOPY hello.c /src/\nRUN gcc -o /usr/local/bin/hello /src/hello.c\nCMD [\"hello\"]\n"
	bc := fxContext(t, nil)
	split := fxRun(t, src, bc, fxTestRule(func(p *rules.Pass) *edit.Fix { return plan.MultiStage(input{p}, p.File.FinalStage()) }))
	user := fxRun(t, src, bc, fxTestRule(func(p *rules.Pass) *edit.Fix { return plan.NonRoot(input{p}, p.File.FinalStage()) }))
	if split == nil || user == nil || len(user.Edits) != 1 {
		t.Fatalf("want both fixes: %v %v", split, user)
	}
	at := user.Edits[0].Pos
	inside := false
	for _, e := range split.Edits {
		if e.Pos < at && at < e.End {
			inside = true
		}
	}
	if !inside {
		t.Fatalf("the USER insertion at %d is not inside an edit of the split %+v", at, split.Edits)
	}
}

func TestMultiStageEntrypointAndCmd(t *testing.T) {
	final := func(p *rules.Pass) *edit.Fix { return plan.MultiStage(input{p}, p.File.FinalStage()) }
	fxCheck(t, []fxCase{
		{name: "shell-form CMD arguments become exec form on scratch",
			src: "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app .\nENTRYPOINT [\"/bin/app\"]\nCMD serve 8080\n",
			want: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /bin/app .\n\nFROM scratch\nCOPY --from=build /bin/app /bin/app\nUSER 10001:10001\n" +
				"ENTRYPOINT [\"/bin/app\"]\nCMD [\"serve\", \"8080\"]\n"},
		{name: "a CMD that needs a shell cannot go onto scratch",
			src: "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app .\nENTRYPOINT [\"/bin/app\"]\nCMD serve $PORT\n"},
	}, final)
}

func TestCacheMounts(t *testing.T) {
	// mountsOn mounts the given defaults on the first RUN containing word.
	mountsOn := func(word string, targets ...string) func(p *rules.Pass) *edit.Fix {
		return func(p *rules.Pass) *edit.Fix {
			var ms []string
			for _, tg := range targets {
				ms = append(ms, "--mount=type=cache,target="+tg)
			}
			for _, in := range p.File.Instructions {
				if in.Cmd == "run" && strings.Contains(in.Original, word) {
					return plan.CacheMounts(input{p}, in, ms)
				}
			}
			return nil
		}
	}
	goMod := mountsOn("go mod download", "/go/pkg/mod")
	fxCheck(t, []fxCase{
		{name: "the later build through make gets the module cache too",
			src: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN make build\n" +
				"FROM scratch\nCOPY --from=build /src/app /app\nCMD [\"/app\"]\n",
			want: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nCOPY . .\n" +
				"RUN --mount=type=cache,target=/go/pkg/mod make build\nFROM scratch\nCOPY --from=build /src/app /app\nCMD [\"/app\"]\n"},
		{name: "Debian's golang-go keeps its modules under /root/go",
			src: "FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y golang-go\nWORKDIR /src\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\n" +
				"RUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
			want: "FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y golang-go\nWORKDIR /src\nCOPY go.mod ./\nRUN --mount=type=cache,target=/root/go/pkg/mod go mod download\nCOPY . .\n" +
				"RUN --mount=type=cache,target=/root/go/pkg/mod go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nCMD [\"/app\"]\n"},
		{name: "GOPATH set by ENV",
			src:  "FROM debian:bookworm AS build\nENV GOPATH=/gopath\nCOPY . /src\nRUN cd /src && go mod download\nFROM scratch\nCMD [\"/app\"]\n",
			want: "FROM debian:bookworm AS build\nENV GOPATH=/gopath\nCOPY . /src\nRUN --mount=type=cache,target=/gopath/pkg/mod cd /src && go mod download\nFROM scratch\nCMD [\"/app\"]\n"},
		{name: "a dev stage that runs go at start needs the modules in the image",
			src: "FROM golang:1.22 AS builder\nWORKDIR /src\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n" +
				"FROM builder AS dev-envs\nCMD [\"go\", \"run\", \"main.go\"]\nFROM scratch\nCOPY --from=builder /app /app\nCMD [\"/app\"]\n"},
		{name: "cargo run --offline in a stage built from it",
			src: "FROM rust:1.80 AS base\nWORKDIR /code\nCOPY Cargo.toml Cargo.lock ./\nRUN cargo fetch\nCOPY . .\n" +
				"FROM base AS development\nCMD [\"cargo\", \"run\", \"--offline\"]\n"},
		{name: "a final image without a command is a toolchain",
			src: "FROM golang:1.22\nCOPY go.mod ./\nRUN go mod download\nRUN go install example.com/tool@latest\n"},
		{name: "a RUN as another user than root",
			src: "FROM golang:1.22 AS build\nUSER nobody\nCOPY go.mod ./\nRUN go mod download\nFROM scratch\nCMD [\"/app\"]\n"},
	}, goMod)
	fxCheck(t, []fxCase{
		{name: "an earlier fetch filled the directory in the image: a mount later would hide it",
			src: "FROM golang:1.22 AS base\nWORKDIR /src\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\nFROM base AS builder\nRUN GOFLAGS=-mod=mod go build -o /app .\n" +
				"FROM scratch\nCOPY --from=builder /app /app\nCMD [\"/app\"]\n"},
	}, mountsOn("GOFLAGS", "/go/pkg/mod"))
	fxCheck(t, []fxCase{
		{name: "npm in the image that runs node",
			src:  "FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
			want: "FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci\nCOPY . .\nCMD [\"node\", \"server.js\"]\n"},
	}, mountsOn("npm ci", "/root/.npm"))
}

func TestRetag(t *testing.T) {
	retag := func(newTag string) func(p *rules.Pass) *edit.Fix {
		return func(p *rules.Pass) *edit.Fix {
			chain := p.File.FinalStage().Chain()
			return plan.Retag(input{p}, chain[len(chain)-1], newTag)
		}
	}
	fxCheck(t, []fxCase{
		{name: "debian to its slim variant",
			src:  "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\nCMD [\"curl\", \"--version\"]\n",
			want: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nCMD [\"curl\", \"--version\"]\n"},
		{name: "OpenJDK's install fails on slim, which has no /usr/share/man/man1",
			src: "FROM debian:bookworm\nRUN apt-get update && apt-get install -y default-jdk-headless\nCMD [\"jshell\"]\n"},
		{name: "OpenJDK on slim once the man directory is made again",
			src:  "FROM debian:bookworm\nRUN mkdir -p /usr/share/man/man1 && apt-get update && apt-get install -y openjdk-17-jre-headless\nCMD [\"java\", \"-version\"]\n",
			want: "FROM debian:bookworm-slim\nRUN mkdir -p /usr/share/man/man1 && apt-get update && apt-get install -y openjdk-17-jre-headless\nCMD [\"java\", \"-version\"]\n"},
	}, retag("bookworm-slim"))
	fxCheck(t, []fxCase{
		{name: "python app without native builds",
			src:  "FROM python:3.12 AS base\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n",
			want: "FROM python:3.12-slim AS base\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n"},
		{name: "pip may compile: no compiler on slim",
			src: "FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD [\"python\"]\n"},
		{name: "curl in the health check",
			src: "FROM python:3.12\nCOPY app.py /app/\nHEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1\nCMD [\"python\", \"/app/app.py\"]\n"},
	}, retag("3.12-slim"))
	fxCheck(t, []fxCase{
		{name: "a dev-envs target built on the base installs git",
			src: "FROM node:20 AS development\nWORKDIR /app\nCOPY server.js .\nCMD [\"node\", \"server.js\"]\n" +
				"FROM development AS dev-envs\nRUN apt-get update && apt-get install -y --no-install-recommends git\nCMD [\"node\", \"server.js\"]\n"},
	}, func(p *rules.Pass) *edit.Fix { return plan.Retag(input{p}, p.File.Stages[0], "20-slim") })
	fxCheck(t, []fxCase{
		{name: "a release out of support",
			src: "FROM node:lts-buster\nCOPY server.js .\nCMD [\"node\", \"server.js\"]\n"},
	}, retag("lts-buster-slim"))
	fxCheck(t, []fxCase{
		{name: "JDK to JRE when nothing compiles",
			src:  "FROM eclipse-temurin:21-jdk\nCOPY app.jar /app.jar\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
			want: "FROM eclipse-temurin:21-jre\nCOPY app.jar /app.jar\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n"},
		{name: "JDK to JRE breaks a javac",
			src: "FROM eclipse-temurin:21-jdk\nCOPY Main.java .\nRUN javac Main.java\nCMD [\"java\", \"Main\"]\n"},
	}, retag("21-jre"))
	fxCheck(t, []fxCase{
		{name: "dnf is not in the minimal image",
			src: "FROM rockylinux:9\nRUN dnf install -y httpd && dnf clean all\nCMD [\"httpd\", \"-DFOREGROUND\"]\n"},
	}, retag("9-minimal"))
}
