package rules_test

import (
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/rules"
)

// TestMergeRunsFix checks DL3059's safe fix: consecutive single-command
// RUNs chained with && in one pass, comments kept, and no fix where the
// split matters.
func TestMergeRunsFix(t *testing.T) {
	cases := []struct {
		name, src, want string
		findings        int // with a fix; 0 means no fix is offered
	}{
		{name: "two RUNs",
			src:      "FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\n",
			want:     "FROM debian:bookworm\nRUN apt-get update \\\n && apt-get install -y curl\n",
			findings: 1},
		{name: "a run of five becomes one chain in one pass",
			src: "FROM debian:bookworm\n\nRUN mkdir -p /srv/a\nRUN mkdir -p /srv/b\nRUN touch /srv/a/x\n" +
				"RUN touch /srv/b/y\nRUN chmod 0755 /srv/a\n\nCOPY . /app/\n",
			want: "FROM debian:bookworm\n\nRUN mkdir -p /srv/a \\\n && mkdir -p /srv/b \\\n && touch /srv/a/x \\\n" +
				" && touch /srv/b/y \\\n && chmod 0755 /srv/a\n\nCOPY . /app/\n",
			findings: 4},
		{name: "installs of one package manager with the same options become one install",
			src:      "FROM debian:bookworm\nRUN apt-get install -y python3\nRUN apt-get install -y curl git\n",
			want:     "FROM debian:bookworm\nRUN apt-get install -y python3 curl git\n",
			findings: 1},
		{name: "pip installs by name become one install",
			src:      "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n\nRUN pip install --no-cache-dir requests\n",
			want:     "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask requests\n\n",
			findings: 1},
		{name: "installs with other options are chained",
			src:      "FROM debian:bookworm\nRUN apt-get install -y python3\nRUN apt-get install --no-install-recommends -y git\n",
			want:     "FROM debian:bookworm\nRUN apt-get install -y python3 \\\n && apt-get install --no-install-recommends -y git\n",
			findings: 1},
		{name: "an install is not tied to a RUN that needs the copied source: no fix",
			src: "FROM debian:bookworm\nCOPY . /app\nWORKDIR /app\nRUN apt-get update && apt-get install -y jq\nRUN chmod +x app.sh\n"},
		{name: "comments between move above, blank lines go",
			src:      "FROM debian:bookworm\n# update\nRUN apt-get update\n\n# then curl\nRUN apt-get install -y curl\n",
			want:     "FROM debian:bookworm\n# update\n# then curl\nRUN apt-get update \\\n && apt-get install -y curl\n",
			findings: 1},
		{name: "continuation lines of the second RUN are kept",
			src:      "FROM debian:bookworm\nRUN mkdir -p /srv\nRUN --network=none cp -r \\\n    /etc/skel /srv/\n",
			want:     "FROM debian:bookworm\nRUN mkdir -p /srv\nRUN --network=none cp -r \\\n    /etc/skel /srv/\n",
			findings: 0},
		{name: "same flags: the first RUN's flags stay",
			src:      "FROM debian:bookworm\nRUN --network=none mkdir -p /srv\nRUN --network=none cp -r \\\n    /etc/skel /srv/\n",
			want:     "FROM debian:bookworm\nRUN --network=none mkdir -p /srv \\\n && cp -r \\\n    /etc/skel /srv/\n",
			findings: 1},
		{name: "backtick escape and CRLF",
			src:      "# escape=`\r\nFROM debian:bookworm\r\nRUN echo one  \r\nRUN echo two\r\n",
			want:     "# escape=`\r\nFROM debian:bookworm\r\nRUN echo one `\r\n && echo two\r\n",
			findings: 1},
		{name: "cd changes the directory of the next command: no fix",
			src: "FROM debian:bookworm\nRUN cd /tmp\nRUN make\n"},
		{name: "export: no fix",
			src: "FROM debian:bookworm\nRUN export A=1\nRUN make\n"},
		{name: "a trailing shell comment would swallow the chain: no fix",
			src: "FROM debian:bookworm\nRUN make # build\nRUN make install\n"},
		{name: "exec form: no fix",
			src: "FROM debian:bookworm\nRUN [\"echo\", \"one\"]\nRUN echo two\n"},
		{name: "heredoc: no fix",
			src: "FROM debian:bookworm\nRUN echo one\nRUN <<EOF\necho two\nEOF\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := hlRun(t, c.src, rules.Settings{}, rules.DL3059)
			withFix := 0
			for _, d := range ds {
				if d.Fix != nil {
					withFix++
					if d.Fix.Unsafe || d.Fix.Message == "" {
						t.Errorf("the merge must be safe and explained: %+v", d.Fix)
					}
				}
			}
			if withFix != c.findings {
				t.Fatalf("%d fixes, want %d: %v", withFix, c.findings, hlFindings(ds))
			}
			if c.findings == 0 {
				return
			}
			got := applyFixes(t, c.src, ds)
			if got != c.want {
				t.Fatalf("fixed text:\n%q\nwant:\n%q", got, c.want)
			}
			f, err := dockerfile.Parse("Dockerfile", []byte(got))
			if err != nil {
				t.Fatalf("merged file does not parse: %v", err)
			}
			if n := strings.Count(c.src, "RUN") - c.findings; countRuns(f) != n {
				t.Errorf("%d RUNs after the merge, want %d", countRuns(f), n)
			}
			if again := hlRun(t, got, rules.Settings{}, rules.DL3059); len(again) != 0 {
				t.Errorf("not idempotent: %v", hlFindings(again))
			}
		})
	}
}

func countRuns(f *dockerfile.File) int {
	n := 0
	for _, in := range f.Instructions {
		if in.Cmd == "run" {
			n++
		}
	}
	return n
}
