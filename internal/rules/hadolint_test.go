package rules_test

import (
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/rules"
	"github.com/stratatools/strata/internal/vocab"
)

func TestHadolintFixes(t *testing.T) {
	cases := []struct {
		name     string
		rule     *rules.Rule
		src      string
		want     string
		unsafe   bool
		noFix    bool
		findings int
	}{
		{name: "ADD to COPY", rule: rules.DL3020,
			src:  "FROM alpine:3.20\nADD --chown=1:1 app.py /app/\n",
			want: "FROM alpine:3.20\nCOPY --chown=1:1 app.py /app/\n"},
		{name: "add to copy keeps lower case", rule: rules.DL3020,
			src:  "from alpine:3.20\nadd app.py /app/\n",
			want: "from alpine:3.20\ncopy app.py /app/\n"},
		{name: "Add to Copy keeps capitalisation", rule: rules.DL3020,
			src:  "FROM alpine:3.20\nAdd app.py /app/\n",
			want: "FROM alpine:3.20\nCopy app.py /app/\n"},
		{name: "ONBUILD ADD", rule: rules.DL3020,
			src:  "FROM alpine:3.20\nONBUILD  ADD . /app/\n",
			want: "FROM alpine:3.20\nONBUILD  COPY . /app/\n"},
		{name: "ADD with an archive among the sources: no fix", rule: rules.DL3020,
			src: "FROM alpine:3.20\nADD app.tar.gz app.py /app/\n", noFix: true},
		{name: "ADD with a flag COPY lacks: no fix", rule: rules.DL3020,
			src: "FROM alpine:3.20\nADD --unpack=false app.py /app/\n", noFix: true},
		{name: "ADD in a CRLF file", rule: rules.DL3020,
			src:  "FROM alpine:3.20\r\nADD app.py /app/\r\n",
			want: "FROM alpine:3.20\r\nCOPY app.py /app/\r\n"},

		{name: "WORKDIR under scratch", rule: rules.DL3000,
			src:  "FROM scratch\nWORKDIR app\n",
			want: "FROM scratch\nWORKDIR /app\n"},
		{name: "WORKDIR on a distribution image: against /", rule: rules.DL3000,
			src:  "FROM alpine:3.20\nWORKDIR app\n",
			want: "FROM alpine:3.20\nWORKDIR /app\n"},
		{name: "WORKDIR with an unknown base directory is unsafe", rule: rules.DL3000,
			src:  "FROM golang:1.22\nWORKDIR app\n",
			want: "FROM golang:1.22\nWORKDIR /app\n", unsafe: true},
		{name: "WORKDIR after an absolute one", rule: rules.DL3000,
			src:  "FROM alpine:3.20\nWORKDIR /srv\nWORKDIR \"data dir\"\n",
			want: "FROM alpine:3.20\nWORKDIR /srv\nWORKDIR \"/srv/data dir\"\n"},
		{name: "WORKDIR chains resolve", rule: rules.DL3000,
			src:      "FROM alpine:3.20\nWORKDIR /srv\nWORKDIR a\nWORKDIR ../b\n",
			want:     "FROM alpine:3.20\nWORKDIR /srv\nWORKDIR /srv/a\nWORKDIR /srv/b\n",
			findings: 2},
		{name: "WORKDIR inherited from the base stage", rule: rules.DL3000,
			src:  "FROM alpine:3.20 AS base\nWORKDIR /opt\nFROM base\nWORKDIR ../x\n",
			want: "FROM alpine:3.20 AS base\nWORKDIR /opt\nFROM base\nWORKDIR /x\n"},
		{name: "WORKDIR relative to a variable", rule: rules.DL3000,
			src:  "FROM alpine:3.20\nENV APP=/app\nWORKDIR $APP\nWORKDIR src\n",
			want: "FROM alpine:3.20\nENV APP=/app\nWORKDIR $APP\nWORKDIR $APP/src\n"},
		{name: "WORKDIR above a variable: no fix", rule: rules.DL3000,
			src: "FROM alpine:3.20\nENV APP=/app\nWORKDIR $APP\nWORKDIR ../x\n", noFix: true},
		{name: "ONBUILD WORKDIR: no fix", rule: rules.DL3000,
			src: "FROM alpine:3.20\nONBUILD WORKDIR src\n", noFix: true},

		{name: "COPY destination gets a slash", rule: rules.DL3021,
			src:  "FROM alpine:3.20\nCOPY a b /app\n",
			want: "FROM alpine:3.20\nCOPY a b /app/\n"},
		{name: "quoted destination", rule: rules.DL3021,
			src:  "FROM alpine:3.20\nCOPY a b \"/opt/my dir\"\n",
			want: "FROM alpine:3.20\nCOPY a b \"/opt/my dir/\"\n"},
		{name: "JSON destination", rule: rules.DL3021,
			src:  "FROM alpine:3.20\nCOPY [\"a\", \"b\", \"/data\"]\n",
			want: "FROM alpine:3.20\nCOPY [\"a\", \"b\", \"/data/\"]\n"},
		{name: "destination after a continuation", rule: rules.DL3021,
			src:  "FROM alpine:3.20\nCOPY a b \\\n  app\n",
			want: "FROM alpine:3.20\nCOPY a b \\\n  app/\n"},
		{name: "destination word also a source", rule: rules.DL3021,
			src:  "FROM alpine:3.20\nCOPY app lib app\n",
			want: "FROM alpine:3.20\nCOPY app lib app/\n"},

		{name: "shell-form CMD to exec form", rule: rules.DL3025,
			src:  "FROM alpine:3.20\nCMD python3 -m http.server 8000\n",
			want: "FROM alpine:3.20\nCMD [\"python3\", \"-m\", \"http.server\", \"8000\"]\n"},
		{name: "shell-form CMD with an ENTRYPOINT: unsafe", rule: rules.DL3025,
			src:  "FROM alpine:3.20\nENTRYPOINT [\"/entry.sh\"]\nCMD serve --port 8000\n",
			want: "FROM alpine:3.20\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"serve\", \"--port\", \"8000\"]\n", unsafe: true},
		{name: "shell-form CMD on a language image: unsafe", rule: rules.DL3025,
			src:  "FROM python:3.12-slim\nCMD python3 app.py\n",
			want: "FROM python:3.12-slim\nCMD [\"python3\", \"app.py\"]\n", unsafe: true},
		{name: "shell-form ENTRYPOINT: unsafe", rule: rules.DL3025,
			src:  "FROM debian:bookworm\nENTRYPOINT app --serve\n",
			want: "FROM debian:bookworm\nENTRYPOINT [\"app\", \"--serve\"]\n", unsafe: true},
		{name: "shell features: no fix", rule: rules.DL3025,
			src: "FROM alpine:3.20\nCMD echo $HOME && sleep 1\n", noFix: true},

		{name: "redundant platform", rule: rules.DL3065,
			src:  "FROM --platform=$TARGETPLATFORM alpine:3.20 AS a\n",
			want: "FROM alpine:3.20 AS a\n"},

		{name: "MAINTAINER to label", rule: rules.DL4000,
			src:  "FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n",
			want: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\n"},
		{name: "maintainer to label, lower case", rule: rules.DL4000,
			src:  "from alpine:3.20\nmaintainer jane\n",
			want: "from alpine:3.20\nlabel org.opencontainers.image.authors=\"jane\"\n"},

		{name: "overridden CMD is deleted", rule: rules.DL4003,
			src:  "FROM alpine:3.20\nCMD [\"a\"]\nCMD [\"b\"]\n",
			want: "FROM alpine:3.20\nCMD [\"b\"]\n"},
		{name: "overridden ENTRYPOINTs are deleted", rule: rules.DL4004,
			src:      "FROM alpine:3.20\r\nENTRYPOINT [\"a\"]\r\nENTRYPOINT x \\\r\n  y\r\nENTRYPOINT [\"c\"]\r\n",
			want:     "FROM alpine:3.20\r\nENTRYPOINT [\"c\"]\r\n",
			findings: 2},
		{name: "overridden HEALTHCHECK is deleted", rule: rules.DL3012,
			src:  "FROM alpine:3.20\nHEALTHCHECK NONE\nHEALTHCHECK CMD [\"true\"]\n",
			want: "FROM alpine:3.20\nHEALTHCHECK CMD [\"true\"]\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := hlRun(t, c.src, rules.Settings{}, c.rule)
			want := c.findings
			if want == 0 {
				want = 1
			}
			if len(ds) != want {
				t.Fatalf("%d findings, want %d: %v", len(ds), want, hlFindings(ds))
			}
			if c.noFix {
				for _, d := range ds {
					if d.Fix != nil {
						t.Fatalf("unexpected fix %+v", d.Fix)
					}
				}
				return
			}
			for _, d := range ds {
				if d.Fix == nil {
					t.Fatalf("finding %q has no fix", d.Message)
				}
				if d.Fix.Unsafe != c.unsafe {
					t.Errorf("fix unsafe = %v, want %v", d.Fix.Unsafe, c.unsafe)
				}
				if d.Fix.Message == "" {
					t.Error("fix has no message")
				}
			}
			if got := applyFixes(t, c.src, ds); got != c.want {
				t.Errorf("fixed text:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func TestInlinePragmaRule(t *testing.T) {
	src := "# hadolint global ignore=DL3007\n" +
		"FROM alpine:3.20\n" +
		"# hadolint ignore=DL3025\n" +
		"CMD python3 app.py\n" +
		"  # strata ignore=DL3059\n" +
		"RUN true\n" +
		"# an ordinary comment mentioning hadolint\n" +
		"USER nobody\n"
	ds := hlRun(t, src, rules.Settings{}, rules.DL1001, rules.DL3025)
	got := strings.Join(hlFindings(ds), " ")
	if got != "3:DL1001 5:DL1001" {
		t.Fatalf("findings %s", got)
	}
	if ds[1].Column != 3 {
		t.Errorf("column %d, want 3", ds[1].Column)
	}
	if !rules.DL1001.DefaultOff {
		t.Error("DL1001 must be off by default")
	}
}

func TestRetiredCodesAreKnown(t *testing.T) {
	all := rules.All()
	for _, id := range []string{"DL3005", "DL3017", "DL3031", "DL3039"} {
		r := rules.Lookup(all, id)
		if r == nil || !r.Retired || r.Check != nil || r.Doc.Summary == "" || r.Doc.Why == "" {
			t.Errorf("%s should be a documented retired rule: %+v", id, r)
		}
	}
}

// TestHadolintCatalog checks the DL rules of this family against
// hadolint's default severities, and that every rule is documented.
func TestHadolintCatalog(t *testing.T) {
	want := map[string]vocab.Severity{
		"DL1001": vocab.Info, "DL3000": vocab.Error, "DL3002": vocab.Warning, "DL3006": vocab.Warning,
		"DL3007": vocab.Warning, "DL3011": vocab.Error, "DL3012": vocab.Error, "DL3020": vocab.Error,
		"DL3021": vocab.Error, "DL3022": vocab.Warning, "DL3023": vocab.Error, "DL3024": vocab.Error,
		"DL3025": vocab.Warning, "DL3026": vocab.Error, "DL3029": vocab.Warning, "DL3043": vocab.Error,
		"DL3044": vocab.Error, "DL3045": vocab.Warning, "DL3048": vocab.Style, "DL3049": vocab.Info,
		"DL3050": vocab.Info, "DL3051": vocab.Warning, "DL3052": vocab.Warning, "DL3053": vocab.Warning,
		"DL3054": vocab.Warning, "DL3055": vocab.Warning, "DL3056": vocab.Warning, "DL3057": vocab.Info,
		"DL3058": vocab.Warning, "DL3059": vocab.Info, "DL3061": vocab.Error, "DL3063": vocab.Warning,
		"DL3064": vocab.Warning, "DL3065": vocab.Warning, "DL3066": vocab.Info, "DL3067": vocab.Warning,
		"DL4000": vocab.Error, "DL4003": vocab.Warning, "DL4004": vocab.Error,
	}
	all := rules.All()
	for id, sev := range want {
		r := rules.Lookup(all, id)
		if r == nil {
			t.Errorf("%s missing", id)
			continue
		}
		if r.ID != id {
			t.Errorf("looking up %s finds %s", id, r.ID)
		}
		if r.Severity != sev {
			t.Errorf("%s severity %v, want %v", id, r.Severity, sev)
		}
		if r.Name == "" || r.Doc.Summary == "" || r.Doc.Why == "" || r.Doc.Bad == "" || r.Doc.Good == "" || r.Category == "" {
			t.Errorf("%s is not fully documented", id)
		}
		if r.Checklist != "" && !vocab.IsChecklistKey(r.Checklist) {
			t.Errorf("%s has unknown checklist key %q", id, r.Checklist)
		}
	}
	for _, alias := range []string{"DuplicateStageName", "MaintainerDeprecated", "ReservedStageName", "RedundantTargetPlatform"} {
		if r := rules.Lookup(all, alias); r == nil || !strings.HasPrefix(r.ID, "DL") {
			t.Errorf("alias %s should name a DL rule, got %v", alias, r)
		}
	}
	// BuildKit's checks that differ from hadolint's in details are rules
	// of their own, twins of the DL rules.
	for _, name := range []string{"WorkdirRelativePath", "JSONArgsRecommended", "MultipleInstructionsDisallowed"} {
		r := rules.Lookup(all, name)
		if r == nil || r.ID != name || len(r.Twins) == 0 || !strings.HasPrefix(r.Twins[0], "DL") {
			t.Errorf("%s should be a BuildKit rule twinned with DL rules, got %v", name, r)
		}
	}
}
