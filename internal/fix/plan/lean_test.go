package plan_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/fix/plan"
	"github.com/stratatools/strata/internal/rules"
)

// firstRunWith returns the first RUN of the final stage whose text holds
// word.
func firstRunWith(p *rules.Pass, word string) *dockerfile.Instruction {
	for _, in := range p.File.FinalStage().Instructions {
		if in.Cmd == "run" && strings.Contains(in.Original, word) {
			return in
		}
	}
	return nil
}

func TestDropPackages(t *testing.T) {
	drop := func(pkgs ...string) func(p *rules.Pass) *edit.Fix {
		return func(p *rules.Pass) *edit.Fix {
			in := firstRunWith(p, "")
			if in == nil {
				return nil
			}
			return plan.DropPackages(input{p}, in, pkgs)
		}
	}
	fxCheck(t, []fxCase{
		{name: "one package of several",
			src:  "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends jq curl wget \\\n    ca-certificates && rm -rf /var/lib/apt/lists/*\nCMD [\"jq\", \".\"]\n",
			want: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends jq \\\n    ca-certificates && rm -rf /var/lib/apt/lists/*\nCMD [\"jq\", \".\"]\n"},
	}, drop("curl", "wget"))
	fxCheck(t, []fxCase{
		{name: "the only packages: the install goes, and the RUN with it when nothing but the index update is left; its comment stays",
			src:  "FROM debian:bookworm-slim\n\n# tools\nRUN apt-get update && apt-get install -y curl git && rm -rf /var/lib/apt/lists/*\n\nCOPY app /app\nCMD [\"/app\"]\n",
			want: "FROM debian:bookworm-slim\n\n# tools\n\nCOPY app /app\nCMD [\"/app\"]\n"},
		{name: "a separate install of the tools goes, the other stays",
			src:  "FROM alpine:3.23\nRUN apk add --no-cache jq && apk add --no-cache curl git\nCMD [\"jq\"]\n",
			want: "FROM alpine:3.23\nRUN apk add --no-cache jq\nCMD [\"jq\"]\n"},
		{name: "installed in a loop: no fix",
			src: "FROM debian:bookworm-slim\nRUN for p in curl git; do apt-get install -y $p; done\nCMD [\"true\"]\n"},
		{name: "the RUN runs the tool itself: no fix",
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl git && curl -fsSL https://example.com/x -o /x\nCMD [\"true\"]\n"},
	}, drop("curl", "git"))
}

func TestJoinLaterInstalls(t *testing.T) {
	join := func(p *rules.Pass) *edit.Fix {
		in := firstRunWith(p, "update")
		if in == nil {
			return nil
		}
		return plan.JoinLaterInstalls(input{p}, in, "rm -rf /var/lib/apt/lists/*")
	}
	fxCheck(t, []fxCase{
		{name: "the later install joins this one, and the lists go at its end",
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install --no-install-recommends -y python3\n\nWORKDIR /app\n\n" +
				"RUN apt-get install --no-install-recommends -y python3-flask gunicorn\nCOPY . /app/\nCMD [\"python3\", \"app.py\"]\n",
			want: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install --no-install-recommends -y python3 python3-flask gunicorn && rm -rf /var/lib/apt/lists/*\n\nWORKDIR /app\n\n" +
				"COPY . /app/\nCMD [\"python3\", \"app.py\"]\n"},
		{name: "the later install keeps what else its RUN does",
			src:  "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y python3\nRUN apt-get install -y gunicorn && mkdir -p /data\nCMD [\"python3\"]\n",
			want: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y python3 gunicorn && rm -rf /var/lib/apt/lists/*\nRUN mkdir -p /data\nCMD [\"python3\"]\n"},
		{name: "other options: no fix",
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y python3\nRUN apt-get install --no-install-recommends -y gunicorn\nCMD [\"python3\"]\n"},
		{name: "an ENV apt reads between them: no fix",
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y python3\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get install -y tzdata\nCMD [\"python3\"]\n"},
		{name: "a COPY into the system between them: no fix",
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y python3\nCOPY sources.list /etc/apt/sources.list\nRUN apt-get install -y gunicorn\nCMD [\"python3\"]\n"},
	}, join)
}

func TestMoveBase(t *testing.T) {
	move := func(mv plan.BaseMove) func(p *rules.Pass) *edit.Fix {
		return func(p *rules.Pass) *edit.Fix {
			st := p.File.FinalStage()
			mv.From = st.BaseRaw
			return plan.MoveBase(input{p}, st, mv)
		}
	}
	ubuntu := plan.BaseMove{To: "ubuntu:24.04", Distribution: true, Names: []string{"20.04", "focal"}, ExternallyManaged: true,
		Why: "Ubuntu 20.04 (focal): standard support ended on 2025-05-31"}
	fxCheck(t, []fxCase{
		{name: "a distribution release moves to its successor",
			src:  "FROM ubuntu:20.04\nRUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*\nCMD [\"curl\", \"--version\"]\n",
			want: "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*\nCMD [\"curl\", \"--version\"]\n"},
		{name: "a PPA: no fix",
			src: "FROM ubuntu:20.04\nRUN add-apt-repository ppa:deadsnakes/ppa && apt-get update && apt-get install -y python3.11\nCMD [\"python3.11\"]\n"},
		{name: "a source list naming the release: no fix",
			src: "FROM ubuntu:20.04\nRUN echo 'deb http://example.com/apt focal main' > /tmp/x && apt-get update\nCMD [\"true\"]\n"},
		{name: "a versioned package name: no fix",
			src: "FROM ubuntu:20.04\nRUN apt-get update && apt-get install -y libssl1.1 openjdk-11-jre-headless\nCMD [\"java\"]\n"},
		{name: "a pinned package: no fix",
			src: "FROM ubuntu:20.04\nRUN apt-get update && apt-get install -y curl=7.68.0-1ubuntu2\nCMD [\"curl\"]\n"},
		{name: "pip into the system Python, which the new release refuses: no fix",
			src: "FROM ubuntu:20.04\nRUN apt-get update && apt-get install -y python3-pip\nRUN pip3 install flask\nCMD [\"python3\", \"app.py\"]\n"},
		{name: "pip into a virtualenv moves",
			src:  "FROM ubuntu:20.04\nRUN apt-get update && apt-get install -y python3-venv\nRUN python3 -m venv /venv && /venv/bin/pip install flask\nCMD [\"/venv/bin/python\", \"app.py\"]\n",
			want: "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y python3-venv\nRUN python3 -m venv /venv && /venv/bin/pip install flask\nCMD [\"/venv/bin/python\", \"app.py\"]\n"},
	}, move(ubuntu))
	python := plan.BaseMove{To: "python:3.12-slim", Language: "python", Names: []string{"3.8"}, Why: "Python 3.8: security releases ended on 2024-10-07"}
	fxCheck(t, []fxCase{
		{name: "a Python image moves to a supported Python",
			src:  "FROM python:3.8-slim\nRUN pip install --no-cache-dir flask\nCMD [\"python\", \"app.py\"]\n",
			want: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\nCMD [\"python\", \"app.py\"]\n"},
		{name: "a pinned package may have no build for the new Python: no fix",
			src: "FROM python:3.8-slim\nRUN pip install --no-cache-dir numpy==1.19.5\nCMD [\"python\", \"app.py\"]\n"},
	}, move(python))
}

func TestPythonImage(t *testing.T) {
	img := func(p *rules.Pass) *edit.Fix {
		return plan.PythonImage(input{p}, p.File.FinalStage(), "python:3.12-slim", "3.12", "3.8", "")
	}
	fxCheck(t, []fxCase{
		{name: "the course's exercise: Python and pip come with the image",
			src: "FROM ubuntu:20.04\nRUN apt-get update\nRUN apt-get install -y python3\nRUN apt-get install -y python3-pip\nRUN apt-get install -y curl\n" +
				"COPY . /app/\nWORKDIR /app\nRUN pip3 install flask\nCMD python3 app.py\n",
			want: "FROM python:3.12-slim\nRUN apt-get update\nRUN apt-get install -y curl\n" +
				"COPY . /app/\nWORKDIR /app\nRUN pip3 install flask\nCMD python3 app.py\n"},
		{name: "Python libraries from the distribution: no fix",
			src: "FROM ubuntu:20.04\nRUN apt-get update && apt-get install -y python3 python3-flask\nCMD [\"python3\", \"app.py\"]\n"},
		{name: "a deadsnakes interpreter: no fix",
			src: "FROM ubuntu:20.04\nRUN apt-get update && apt-get install -y python3 python3.11\nCMD [\"python3.11\", \"app.py\"]\n"},
		{name: "the distribution's Python directories: no fix",
			src: "FROM ubuntu:20.04\nRUN apt-get update && apt-get install -y python3\nENV PYTHONPATH=/usr/lib/python3/dist-packages\nCMD [\"python3\", \"app.py\"]\n"},
		{name: "pinned packages and another Python: no fix",
			src: "FROM ubuntu:20.04\nRUN apt-get update && apt-get install -y python3 python3-pip\nRUN pip3 install flask==1.1.1\nCMD [\"python3\", \"app.py\"]\n"},
	}, img)
}

// TestGunicorn checks the Flask development server's replacement with
// files of the context the planner reads.
func TestGunicorn(t *testing.T) {
	app := func(main string) string {
		return "import os\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route(\"/\")\ndef index():\n    return \"hi\"\n\n\nif __name__ == \"__main__\":\n" + main
	}
	df := "FROM python:3.12-slim\nWORKDIR /app\nRUN pip install --no-cache-dir flask gunicorn\nCOPY . /app/\nEXPOSE 8000\nCMD [\"python3\", \"app.py\"]\n"
	for _, c := range []struct {
		name, main, dockerfile, want string
	}{
		{"the port from PORT: gunicorn reads PORT too, and an ENV gives its default",
			"    app.run(host=\"0.0.0.0\", port=int(os.environ.get(\"PORT\", \"8000\")))\n", df,
			"FROM python:3.12-slim\nWORKDIR /app\nRUN pip install --no-cache-dir flask gunicorn\nCOPY . /app/\nEXPOSE 8000\nENV PORT=8000\nCMD [\"gunicorn\", \"app:app\"]\n"},
		{"a fixed port, through a variable",
			"    port = 8000\n    app.run(host=\"0.0.0.0\", port=port, debug=False)\n", df,
			"FROM python:3.12-slim\nWORKDIR /app\nRUN pip install --no-cache-dir flask gunicorn\nCOPY . /app/\nEXPOSE 8000\nCMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app:app\"]\n"},
		{"the main block does more than serve: no fix", "    init_db()\n    app.run(host=\"0.0.0.0\", port=8000)\n", df, ""},
		{"the server listens on localhost only: no fix", "    app.run(port=8000)\n", df, ""},
		{"no gunicorn installed: no fix", "    app.run(host=\"0.0.0.0\", port=8000)\n",
			"FROM python:3.12-slim\nWORKDIR /app\nRUN pip install --no-cache-dir flask\nCOPY . /app/\nCMD [\"python3\", \"app.py\"]\n", ""},
		{"a script in another directory: no fix", "    app.run(host=\"0.0.0.0\", port=8000)\n",
			"FROM python:3.12-slim\nRUN pip install --no-cache-dir flask gunicorn\nCOPY . /app/\nCMD [\"python3\", \"/app/app.py\"]\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(app(c.main)), 0o644); err != nil {
				t.Fatal(err)
			}
			bc, err := rules.LoadBuildContext(dir, "")
			if err != nil {
				t.Fatal(err)
			}
			rule := fxTestRule(func(p *rules.Pass) *edit.Fix {
				st := p.File.FinalStage()
				ds, ok := plan.FlaskDevServer(input{p}, st)
				if !ok {
					return nil
				}
				return plan.Gunicorn(input{p}, st, ds)
			})
			fix := fxRun(t, c.dockerfile, bc, rule)
			if c.want == "" {
				if fix != nil {
					t.Fatalf("unexpected fix: %s", fxApply(t, c.dockerfile, fix))
				}
				return
			}
			if fix == nil {
				t.Fatal("no fix")
			}
			if got := fxApply(t, c.dockerfile, fix); got != c.want {
				t.Fatalf("got:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

// TestMultiStageSourceCopies: the source is copied by the runtime stage
// only when no build step reads any of it; COPYs into one another's
// directories all stay in the build stage when one is read.
func TestMultiStageSourceCopies(t *testing.T) {
	final := func(p *rules.Pass) *edit.Fix { return plan.MultiStage(input{p}, p.File.FinalStage()) }
	fxCheck(t, []fxCase{
		{name: "requirements read by pip: every copy stays in the build stage, the app comes from it after /usr/local",
			src: "FROM python:3.14-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*\n" +
				"COPY src/agent/requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY src/agent/src src\nCOPY src/shared/tools.py src/agents\nCOPY src/agent/run.py .\nCMD [\"python\", \"run.py\"]\n",
			files: []string{"src/agent/requirements.txt", "src/agent/src/main.py", "src/shared/tools.py", "src/agent/run.py"},
			want: "FROM python:3.14-slim AS build\nWORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*\n" +
				"COPY src/agent/requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY src/agent/src src\nCOPY src/shared/tools.py src/agents\nCOPY src/agent/run.py .\n\n" +
				"FROM python:3.14-slim\nWORKDIR /app\nCOPY --from=build /usr/local /usr/local\nCOPY --from=build /app /app\n" +
				"RUN useradd --create-home --uid 10001 --user-group app \\\n    && chown app /app\nUSER app\nCMD [\"python\", \"run.py\"]\n"},
	}, final)
}

// TestManifestsFirstSplitsAnInstall: the installs that begin the first
// RUN after the COPY become a RUN of their own before it.
func TestManifestsFirstSplitsAnInstall(t *testing.T) {
	first := func(p *rules.Pass) *edit.Fix {
		for _, in := range p.File.Instructions {
			if in.Cmd == "copy" {
				return plan.ManifestsFirst(input{p}, in)
			}
		}
		return nil
	}
	fxCheck(t, []fxCase{
		{name: "Go from apt in the RUN that builds",
			src:   "FROM debian:bookworm\nWORKDIR /src\nCOPY . .\nRUN apt-get update && apt-get install -y golang-go && go build -o /usr/local/bin/hello .\nCMD [\"hello\"]\n",
			files: []string{"main.go"},
			want:  "FROM debian:bookworm\nWORKDIR /src\nRUN apt-get update && apt-get install -y golang-go\nCOPY . .\nRUN go build -o /usr/local/bin/hello .\nCMD [\"hello\"]\n"},
		{name: "the RUN starts with the build: no fix",
			src:   "FROM debian:bookworm\nWORKDIR /src\nCOPY . .\nRUN make && apt-get install -y jq\nCMD [\"hello\"]\n",
			files: []string{"Makefile"}},
		{name: "an ENV apt reads between the COPY and the RUN: no fix",
			src:   "FROM debian:bookworm\nCOPY . /src\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get update && apt-get install -y tzdata && make -C /src\nCMD [\"hello\"]\n",
			files: []string{"Makefile"}},
	}, first)
}
