package report

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/report/reporttest"
	"github.com/stratatools/strata/internal/vocab"
)

// sampleReport builds the representative report the golden files show: two
// files, findings of every severity given out of order, a multi-line
// finding, a file-level finding, a rule with aliases, a rule missing from
// Rules, a message that needs escaping in every format, checklist items of
// all three statuses and source lines for code frames.
func sampleReport() *Report {
	return &Report{
		Tool:    "strata",
		Version: "1.2.3",
		Files: []FileResult{
			{
				File: "services/api/Dockerfile",
				Lines: []string{
					"FROM node:20-alpine AS build",
					"WORKDIR /src",
					"COPY package.json package-lock.json ./",
					"RUN npm ci",
					"COPY . .",
					"FROM gcr.io/distroless/nodejs20",
					"COPY --from=build /src /app",
					"USER root",
				},
				Findings: []Finding{
					{
						File: "services/api/Dockerfile", Rule: "DL3002", Name: "last-user-root",
						Severity: vocab.Error, Category: "security", Checklist: "security.non_root",
						Line: 8, EndLine: 8, Column: 1,
						Message: "Last USER should not be root",
					},
					{
						File: "services/api/Dockerfile", Rule: "STR020", Name: "cache-mount-downloads",
						Severity: vocab.Info, Category: "cache", Checklist: "build.cache_mounts",
						Line: 4, EndLine: 4, Column: 5,
						Message: "Use a cache mount for npm downloads: RUN --mount=type=cache,target=/root/.npm npm ci",
						Fixable: true,
					},
				},
				Checklist: []ChecklistItem{
					{Item: "base_image.lightweight", Status: vocab.Pass},
					{Item: "base_image.pinned", Status: vocab.Pass},
					{Item: "layers.minimal_run", Status: vocab.Pass},
					{Item: "context.dockerignore", Status: vocab.NA},
					{Item: "size.multi_stage", Status: vocab.Pass},
					{Item: "security.non_root", Status: vocab.Fail},
					{Item: "performance.healthcheck", Status: vocab.NA},
					{Item: "build.cache_mounts", Status: vocab.Fail},
				},
			},
			{
				File: "Dockerfile",
				Lines: []string{
					"# syntax=docker/dockerfile:1",
					"FROM ubuntu:latest",
					"RUN apt-get update && \\",
					"    apt-get install -y curl build-essential && \\",
					"    rm -rf /var/lib/apt/lists/*",
					"WORKDIR app",
					`ENV API_TOKEN="s3cr<3t>%,x"`,
					"COPY . .",
					"CMD python app.py",
				},
				Findings: []Finding{
					{
						File: "Dockerfile", Rule: "DL3025", Aliases: []string{"JSONArgsRecommended"},
						Name: "json-args-recommended", Severity: vocab.Warning, Category: "correctness",
						Checklist: "performance.exec_form", Line: 9, EndLine: 9, Column: 1,
						Message: "Use arguments JSON notation for CMD and ENTRYPOINT arguments", Fixable: true,
					},
					{
						File: "Dockerfile", Rule: "STR010", Name: "secret-in-env",
						Severity: vocab.Error, Category: "security", Checklist: "security.no_secrets",
						Line: 7, EndLine: 7, Column: 5,
						Message: "ENV \"API_TOKEN\" looks like a secret: <redacted> is 100% visible, in every layer,\nuse a build secret instead",
					},
					{
						File: "Dockerfile", Rule: "DL3008", Name: "apt-pin-versions",
						Severity: vocab.Warning, Category: "correctness",
						Line: 3, EndLine: 5, Column: 1,
						Message: "Pin versions in apt-get install: use `apt-get install <package>=<version>`",
					},
					{
						File: "Dockerfile", Rule: "DL3015", Name: "apt-no-install-recommends",
						Severity: vocab.Info, Category: "size", Checklist: "size.minimal_packages",
						Line: 3, EndLine: 5, Column: 1,
						Message: "Avoid additional packages by specifying --no-install-recommends", Fixable: true,
					},
					{
						File: "Dockerfile", Rule: "DL3007", Name: "no-latest-tag",
						Severity: vocab.Warning, Category: "correctness", Checklist: "base_image.pinned",
						Line: 2, EndLine: 2, Column: 6,
						Message: "Using latest is prone to errors if the image will ever update; pin a version tag",
					},
					{
						File: "Dockerfile", Rule: "DL3000", Name: "absolute-workdir",
						Severity: vocab.Error, Category: "correctness",
						Line: 6, EndLine: 6, Column: 1,
						Message: "Use absolute WORKDIR", Fixable: true,
					},
					{
						File: "Dockerfile", Rule: "DL4006", Name: "pipefail",
						Severity: vocab.Warning, Category: "correctness",
						Line: 3, EndLine: 5, Column: 1,
						Message: "Set the SHELL option -o pipefail before RUN with a pipe in it",
					},
					{
						File: "Dockerfile", Rule: "STR001", Name: "missing-dockerignore",
						Severity: vocab.Style, Category: "size", Checklist: "context.dockerignore",
						Message: "No .dockerignore next to the build context: everything is sent to the builder",
					},
				},
				Checklist: []ChecklistItem{
					{Item: "base_image.lightweight", Status: vocab.Fail, Title: "light base image (slim, alpine, distroless, scratch)"},
					{Item: "base_image.pinned", Status: vocab.Fail, Title: "base image pinned to a version"},
					{Item: "layers.minimal_run", Status: vocab.Pass, Title: "RUN commands chained into few layers"},
					{Item: "context.dockerignore", Status: vocab.Fail, Title: ".dockerignore keeps the build context small"},
					{Item: "security.non_root", Status: vocab.Fail, Title: "runs as a non-root user"},
					{Item: "security.no_secrets", Status: vocab.Fail, Title: "no secrets in the image"},
					{Item: "performance.exec_form", Status: vocab.Fail, Title: "exec-form CMD and ENTRYPOINT"},
					{Item: "performance.healthcheck", Status: vocab.NA, Title: "HEALTHCHECK for a served port"},
					{Item: "build.cache_mounts", Status: vocab.NA, Title: "BuildKit cache mounts for package downloads"},
				},
			},
		},
		Rules: []RuleInfo{
			{ID: "STR020", Name: "cache-mount-downloads", Severity: vocab.Info, Category: "cache", Checklist: "build.cache_mounts",
				Summary: "Package downloads are not kept in a BuildKit cache mount"},
			{ID: "DL3000", Name: "absolute-workdir", Severity: vocab.Error, Category: "correctness",
				Summary: "WORKDIR is not an absolute path", HelpURI: "https://github.com/hadolint/hadolint/wiki/DL3000"},
			{ID: "DL3002", Name: "last-user-root", Severity: vocab.Warning, Category: "security", Checklist: "security.non_root",
				Summary: "The last USER is root",
				Help:    "Running as root lets a compromised process own the container.\n\nBad:\n\n```dockerfile\nUSER root\n```\n\nGood:\n\n```dockerfile\nUSER 10001\n```\n"},
			{ID: "DL3007", Name: "no-latest-tag", Severity: vocab.Warning, Category: "correctness", Checklist: "base_image.pinned",
				Summary: "Base image uses the latest tag"},
			{ID: "DL3008", Name: "apt-pin-versions", Severity: vocab.Warning, Category: "correctness",
				Summary: "apt-get install without pinned versions"},
			{ID: "DL3015", Name: "apt-no-install-recommends", Severity: vocab.Info, Category: "size", Checklist: "size.minimal_packages",
				Summary: "apt-get install without --no-install-recommends"},
			{ID: "DL3020", Name: "copy-not-add", Severity: vocab.Error, Category: "correctness",
				Summary: "ADD used for local files"},
			{ID: "DL3025", Aliases: []string{"JSONArgsRecommended"}, Name: "json-args-recommended", Severity: vocab.Warning,
				Category: "correctness", Checklist: "performance.exec_form",
				Summary: "CMD or ENTRYPOINT in shell form", HelpURI: "https://docs.docker.com/reference/build-checks/json-args-recommended/",
				Help: "Shell form runs the command under /bin/sh, which does not forward signals.\n\nBad: `CMD python app.py`\n\nGood: `CMD [\"python\", \"app.py\"]`\n"},
			{ID: "STR001", Name: "missing-dockerignore", Severity: vocab.Style, Category: "size", Checklist: "context.dockerignore",
				Summary: "No .dockerignore beside the build context"},
			{ID: "STR010", Name: "secret-in-env", Severity: vocab.Error, Category: "security", Checklist: "security.no_secrets",
				Summary: "A secret is baked into the image"},
		},
	}
}

// oddReport gathers input the formatters must survive: empty names, line
// and column 0 or negative, spans past the source, invalid UTF-8, control
// characters and a very long message.
func oddReport() *Report {
	huge := strings.Repeat("long message with <xml> & \"json\" % , : ", 20000)
	return &Report{
		Files: []FileResult{
			{},
			{
				File:  "odd dir/Docker:file,v2",
				Lines: []string{"", "\tRUN \x1b[31mecho\x1b[0m caf\xc3\xa9 \xff", "é"},
				Findings: []Finding{
					{},
					{Line: -4, EndLine: -9, Column: -1, Severity: vocab.Severity(99), Message: "bad \xff\xfe utf-8 \x00 nul"},
					{Rule: "X1", Line: 2, EndLine: 1 << 30, Column: 400, Message: huge},
					{Rule: "X2", Line: 2, Column: 7, Severity: vocab.Error, Message: "\x1b]0;title\x07 escape"},
					{Rule: "X3", Line: 3, EndLine: 3, Column: 2, Severity: vocab.Info, Message: "column inside a rune"},
					{Rule: "X4", Line: 99, Column: 1, Severity: vocab.Style, Message: "line past the source"},
					{Rule: "X4", Aliases: []string{"", "a", "a"}, Line: 1, Severity: vocab.Style, Name: "odd\nname", Message: "\r\n"},
				},
				Checklist: []ChecklistItem{{Item: "weird", Status: "maybe"}, {}},
			},
		},
		Rules: []RuleInfo{{}, {ID: "X1", HelpURI: "not a uri", Aliases: []string{"b", "b"}, Category: "dockerfile"}, {ID: "X1"}},
	}
}

func render(t *testing.T, name string, r *Report, opts Options) []byte {
	t.Helper()
	f, err := Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f(&b, r, opts); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	cases := []struct {
		golden, format string
		opts           Options
		report         func() *Report
	}{
		{"text", "text", Options{}, sampleReport},
		{"text-color", "text", Options{Color: true}, sampleReport},
		{"text-clean", "text", Options{}, cleanReport},
		{"json", "json", Options{}, sampleReport},
		{"json-single", "json", Options{}, singleFileReport},
		{"sarif", "sarif", Options{}, sampleReport},
		{"checkstyle", "checkstyle", Options{}, sampleReport},
		{"gitlab", "gitlab", Options{}, sampleReport},
		{"github", "github", Options{}, sampleReport},
	}
	for _, tc := range cases {
		t.Run(tc.golden, func(t *testing.T) {
			got := render(t, tc.format, tc.report(), tc.opts)
			reporttest.Golden(t, tc.golden, got)
		})
	}
}

// cleanReport has files without findings.
func cleanReport() *Report {
	r := sampleReport()
	for i := range r.Files {
		r.Files[i].Findings = nil
	}
	return r
}

// singleFileReport keeps only the sample's first file.
func singleFileReport() *Report {
	r := sampleReport()
	r.Files = r.Files[:1]
	return r
}

func TestFormattersDoNotModifyTheReport(t *testing.T) {
	for _, name := range Formats() {
		r := sampleReport()
		render(t, name, r, Options{Color: true})
		if !reflect.DeepEqual(r, sampleReport()) {
			t.Errorf("%s modified the report", name)
		}
	}
}

func TestFormattersAreDeterministic(t *testing.T) {
	for _, name := range Formats() {
		a := render(t, name, sampleReport(), Options{})
		// The same findings in another input order give the same output.
		r := sampleReport()
		for i := range r.Files {
			fs := r.Files[i].Findings
			for j, k := 0, len(fs)-1; j < k; j, k = j+1, k-1 {
				fs[j], fs[k] = fs[k], fs[j]
			}
		}
		r.Files[0], r.Files[1] = r.Files[1], r.Files[0]
		for j, k := 0, len(r.Rules)-1; j < k; j, k = j+1, k-1 {
			r.Rules[j], r.Rules[k] = r.Rules[k], r.Rules[j]
		}
		if b := render(t, name, r, Options{}); !bytes.Equal(a, b) {
			t.Errorf("%s output depends on input order", name)
		}
	}
}

func TestLookup(t *testing.T) {
	for _, name := range append(Formats(), "TTY", "gitlab_codeclimate", "github-actions") {
		if f, err := Lookup(name); err != nil || f == nil {
			t.Errorf("Lookup(%q) = %v, %v", name, f, err)
		}
	}
	if _, err := Lookup("yaml"); err == nil {
		t.Error("Lookup(yaml) succeeded")
	}
}

func TestMergeChecklist(t *testing.T) {
	files := []FileResult{
		{Checklist: []ChecklistItem{{"a", vocab.Pass, ""}, {"b", vocab.NA, ""}, {"c", vocab.NA, ""}, {"d", vocab.Fail, "D"}}},
		{Checklist: []ChecklistItem{{"b", vocab.Pass, ""}, {"a", vocab.Fail, ""}, {"c", "odd", ""}, {"e", vocab.Pass, "E"}}},
		{Checklist: []ChecklistItem{{"d", vocab.Pass, ""}, {"e", vocab.NA, ""}}},
	}
	want := []ChecklistItem{
		{"a", vocab.Fail, ""}, {"b", vocab.Pass, ""}, {"c", vocab.NA, ""}, {"d", vocab.Fail, "D"}, {"e", vocab.Pass, "E"},
	}
	if got := MergeChecklist(files); !reflect.DeepEqual(got, want) {
		t.Errorf("MergeChecklist = %v, want %v", got, want)
	}
	if got := MergeChecklist(nil); got == nil || len(got) != 0 {
		t.Errorf("MergeChecklist(nil) = %#v, want an empty slice", got)
	}
}

func TestSortFindings(t *testing.T) {
	fs := []Finding{
		{File: "b", Line: 1},
		{File: "a", Line: 2, Column: 1},
		{File: "a", Line: 2, Column: 1, Rule: "DL2", Message: "y"},
		{File: "a", Line: 2, Column: 1, Rule: "DL2", Message: "x"},
		{File: "a", Line: 1, Column: 9},
	}
	SortFindings(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.File+":"+f.Rule+":"+f.Message)
	}
	want := []string{"a::", "a::", "a:DL2:x", "a:DL2:y", "b::"}
	if !reflect.DeepEqual(got, want) || fs[0].Line != 1 {
		t.Errorf("SortFindings order = %q", got)
	}
}
