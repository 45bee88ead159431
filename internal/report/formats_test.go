package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stratatools/strata/internal/vocab"
)

func keysOf(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func decodeJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, b)
	}
}

func TestJSONContract(t *testing.T) {
	out := render(t, "json", sampleReport(), Options{})
	if !bytes.HasSuffix(out, []byte("}\n")) || !bytes.HasPrefix(out, []byte("{\n  \"findings\": [")) {
		t.Errorf("JSON is not indented with a trailing newline:\n%s", out)
	}
	var doc map[string]any
	decodeJSON(t, out, &doc)
	if got := keysOf(doc); !reflect.DeepEqual(got, []string{"checklist", "files", "findings"}) {
		t.Fatalf("top-level keys = %v", got)
	}
	findingKeys := []string{"aliases", "category", "checklist", "column", "end_line", "file", "fixable", "line", "message", "name", "rule", "severity"}
	findings := doc["findings"].([]any)
	if len(findings) != 10 {
		t.Fatalf("%d findings, want 10", len(findings))
	}
	for _, f := range findings {
		f := f.(map[string]any)
		if got := keysOf(f); !reflect.DeepEqual(got, findingKeys) {
			t.Fatalf("finding keys = %v", got)
		}
		if _, ok := f["aliases"].([]any); !ok {
			t.Errorf("aliases of %v is %#v, want an array", f["rule"], f["aliases"])
		}
	}
	first := findings[0].(map[string]any)
	if first["file"] != "Dockerfile" || first["rule"] != "STR001" || first["line"] != json.Number("0") {
		t.Errorf("first finding = %v, want the file-level STR001 of Dockerfile", first)
	}
	// The merged checklist: fail wins, then pass, then n/a.
	merged := map[string]string{}
	for _, it := range doc["checklist"].([]any) {
		it := it.(map[string]any)
		if got := keysOf(it); !reflect.DeepEqual(got, []string{"item", "status"}) {
			t.Fatalf("checklist item keys = %v", got)
		}
		merged[it["item"].(string)] = it["status"].(string)
	}
	for item, want := range map[string]string{
		"base_image.lightweight":  "fail",
		"layers.minimal_run":      "pass",
		"context.dockerignore":    "fail",
		"size.multi_stage":        "pass",
		"performance.healthcheck": "n/a",
		"build.cache_mounts":      "fail",
	} {
		if merged[item] != want {
			t.Errorf("merged %s = %q, want %q", item, merged[item], want)
		}
	}
	files := doc["files"].([]any)
	if len(files) != 2 {
		t.Fatalf("%d files, want 2", len(files))
	}
	for i, name := range []string{"Dockerfile", "services/api/Dockerfile"} {
		f := files[i].(map[string]any)
		if got := keysOf(f); !reflect.DeepEqual(got, []string{"checklist", "file"}) {
			t.Fatalf("file keys = %v", got)
		}
		if f["file"] != name {
			t.Errorf("files[%d] = %v, want %s", i, f["file"], name)
		}
	}
}

func TestJSONSingleAndEmpty(t *testing.T) {
	var doc map[string]any
	decodeJSON(t, render(t, "json", singleFileReport(), Options{}), &doc)
	if _, ok := doc["files"]; ok {
		t.Error(`a single-file report has "files"`)
	}
	if n := len(doc["checklist"].([]any)); n != 8 {
		t.Errorf("single-file checklist has %d items, want the file's 8", n)
	}
	for _, r := range []*Report{nil, {}, {Files: []FileResult{{File: "Dockerfile"}}}} {
		if got := string(render(t, "json", r, Options{})); got != "{\n  \"findings\": [],\n  \"checklist\": []\n}\n" {
			t.Errorf("empty report JSON = %q", got)
		}
	}
}

func TestTextColor(t *testing.T) {
	plain := render(t, "text", sampleReport(), Options{})
	if bytes.Contains(plain, []byte("\x1b")) {
		t.Error("text without Color has escape codes")
	}
	colored := render(t, "text", sampleReport(), Options{Color: true})
	if !bytes.Contains(colored, []byte("\x1b[")) {
		t.Error("text with Color has no ANSI codes")
	}
	stripped := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAll(colored, nil)
	if !bytes.Equal(stripped, plain) {
		t.Errorf("colour changes the text itself:\n%s\n---\n%s", stripped, plain)
	}
	// A hostile source line or message cannot reach the terminal raw.
	odd := render(t, "text", oddReport(), Options{})
	if bytes.Contains(odd, []byte("\x1b")) || bytes.Contains(odd, []byte("\x07")) || !utf8.Valid(odd) {
		t.Error("text passes control characters or invalid UTF-8 through")
	}
}

func TestTextLayout(t *testing.T) {
	out := string(render(t, "text", sampleReport(), Options{}))
	for _, want := range []string{
		"Dockerfile:2:6: warning DL3007 (no-latest-tag): Using latest",
		"  2 | FROM ubuntu:latest\n    |      ^\n",
		"Dockerfile:7:5: error STR010 (secret-in-env): ENV \"API_TOKEN\" looks like a secret: <redacted> is 100% visible, in every layer,\n    use a build secret instead\n",
		"  3 | RUN apt-get update && \\\n  4 |     apt-get install",
		"Dockerfile: style STR001 (missing-dockerignore): No .dockerignore",
		"Checklist for Dockerfile: 1 pass, 6 fail, 2 n/a\n  ✗ base_image.lightweight   light base image",
		"  ✓ layers.minimal_run",
		"  – performance.healthcheck",
		"\n3 errors, 4 warnings, 2 info, 1 style in 2 files — checklist: 5 pass, 8 fail, 4 n/a\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	clean := string(render(t, "text", cleanReport(), Options{}))
	if !strings.HasSuffix(clean, "\nNo problems found in 2 files — checklist: 5 pass, 8 fail, 4 n/a\n") {
		t.Errorf("text for a clean report ends with %q", clean[strings.LastIndex(clean[:len(clean)-1], "\n")+1:])
	}
	for _, r := range []*Report{nil, {}} {
		if got := string(render(t, "text", r, Options{})); got != "No problems found\n" {
			t.Errorf("text for an empty report = %q", got)
		}
	}
}

func TestTextCodeFrameEdges(t *testing.T) {
	long := make([]string, 20)
	for i := range long {
		long[i] = "RUN step"
	}
	long[0] = "\tRUN  é x"
	r := &Report{Files: []FileResult{{
		File:  "Dockerfile",
		Lines: long,
		Findings: []Finding{
			{Rule: "A", Line: 1, EndLine: 1, Column: 9, Severity: vocab.Info, Message: "after a tab and a two-byte rune"},
			{Rule: "B", Line: 2, EndLine: 20, Column: 1, Severity: vocab.Info, Message: "long span"},
		},
	}}}
	out := string(render(t, "text", r, Options{}))
	// Column 9 is the byte after "\tRUN  é": tab kept, é counted once.
	if !strings.Contains(out, "  1 | \tRUN  é x\n    | \t      ^\n") {
		t.Errorf("caret misplaced:\n%s", out)
	}
	if !strings.Contains(out, "   6 | RUN step\n     | … 14 more lines\n") || strings.Contains(out, "   7 |") {
		t.Errorf("long span not cut after 5 lines:\n%s", out)
	}
}

type checkstyleParsed struct {
	XMLName xml.Name `xml:"checkstyle"`
	Version string   `xml:"version,attr"`
	Files   []struct {
		Name   string `xml:"name,attr"`
		Errors []struct {
			Line     string `xml:"line,attr"`
			Column   string `xml:"column,attr"`
			Severity string `xml:"severity,attr"`
			Message  string `xml:"message,attr"`
			Source   string `xml:"source,attr"`
		} `xml:"error"`
	} `xml:"file"`
}

func parseCheckstyle(t *testing.T, b []byte) checkstyleParsed {
	t.Helper()
	var doc checkstyleParsed
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("checkstyle output does not parse: %v\n%s", err, b)
	}
	// Walk every token too, which checks the document as a whole.
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := dec.Token(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("checkstyle output is not well-formed: %v", err)
		}
	}
	return doc
}

func TestCheckstyleParses(t *testing.T) {
	out := render(t, "checkstyle", sampleReport(), Options{})
	if !bytes.HasPrefix(out, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<checkstyle version="4.3">`)) {
		t.Errorf("checkstyle header:\n%s", out)
	}
	doc := parseCheckstyle(t, out)
	if doc.Version != "4.3" || len(doc.Files) != 2 || doc.Files[0].Name != "Dockerfile" {
		t.Fatalf("checkstyle document = %+v", doc)
	}
	sev := map[string]string{}
	var secret string
	for _, e := range doc.Files[0].Errors {
		sev[e.Source] = e.Severity
		if e.Source == "strata.STR010" {
			secret = e.Message
			if e.Line != "7" || e.Column != "5" {
				t.Errorf("STR010 at line %s column %s", e.Line, e.Column)
			}
		}
	}
	want := map[string]string{
		"strata.DL3000": "error", "strata.DL3007": "warning", "strata.DL3015": "info", "strata.STR001": "info",
	}
	for src, s := range want {
		if sev[src] != s {
			t.Errorf("%s severity = %q, want %q", src, sev[src], s)
		}
	}
	if msg := findMessage(sampleReport(), "STR010"); secret != msg {
		t.Errorf("message does not survive XML:\n got %q\nwant %q", secret, msg)
	}

	odd := parseCheckstyle(t, render(t, "checkstyle", oddReport(), Options{}))
	if len(odd.Files) != 2 {
		t.Errorf("odd report has %d files, want 2", len(odd.Files))
	}
	empty := render(t, "checkstyle", nil, Options{})
	parseCheckstyle(t, empty)
}

func findMessage(r *Report, rule string) string {
	for _, fr := range r.Files {
		for _, f := range fr.Findings {
			if f.Rule == rule {
				return f.Message
			}
		}
	}
	return ""
}

func TestGitHubEscaping(t *testing.T) {
	r := &Report{Files: []FileResult{{
		File: "dir,a/Docker:file",
		Findings: []Finding{
			{Rule: "DL3008", Name: "a:b,c%", Severity: vocab.Info, Line: 3, EndLine: 5, Column: 2,
				Message: "100% done,\r\nnext: line"},
			{Rule: "STR001", Severity: vocab.Style, Message: "whole file"},
			{Rule: "DL3002", Severity: vocab.Error, Line: 2, Message: "x"},
			{Rule: "DL3007", Severity: vocab.Warning, Line: 1, EndLine: 1, Message: "y"},
		},
	}}}
	want := "" +
		"::notice file=dir%2Ca/Docker%3Afile,title=STR001::whole file\n" +
		"::warning file=dir%2Ca/Docker%3Afile,line=1,endLine=1,title=DL3007::y\n" +
		"::error file=dir%2Ca/Docker%3Afile,line=2,endLine=2,title=DL3002::x\n" +
		"::notice file=dir%2Ca/Docker%3Afile,line=3,endLine=5,col=2,title=DL3008 a%3Ab%2Cc%25::100%25 done,%0D%0Anext: line\n"
	if got := string(render(t, "github", r, Options{})); got != want {
		t.Errorf("github output:\n got %q\nwant %q", got, want)
	}
	if got := render(t, "github", &Report{}, Options{}); len(got) != 0 {
		t.Errorf("github output for no findings = %q", got)
	}
	odd := render(t, "github", oddReport(), Options{})
	lines := strings.Split(strings.TrimSuffix(string(odd), "\n"), "\n")
	if len(lines) != 7 || !utf8.Valid(odd) {
		t.Errorf("odd report gives %d lines (valid UTF-8: %v), want 7 one-line commands", len(lines), utf8.Valid(odd))
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "::") || strings.ContainsRune(l, '\r') {
			t.Errorf("bad command line %.80q", l)
		}
	}
}

func TestGitLab(t *testing.T) {
	var issues []map[string]any
	decodeJSON(t, render(t, "gitlab", sampleReport(), Options{}), &issues)
	if len(issues) != 10 {
		t.Fatalf("%d issues, want 10", len(issues))
	}
	seen := map[string]bool{}
	sev := map[string]string{}
	for _, is := range issues {
		fp, _ := is["fingerprint"].(string)
		if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(fp) || seen[fp] {
			t.Errorf("fingerprint %q is not unique hex", fp)
		}
		seen[fp] = true
		sev[is["check_name"].(string)] = is["severity"].(string)
		for _, k := range []string{"description", "check_name", "fingerprint", "severity", "location"} {
			if _, ok := is[k]; !ok {
				t.Errorf("issue lacks %q", k)
			}
		}
		lines := is["location"].(map[string]any)["lines"].(map[string]any)
		if b, _ := lines["begin"].(json.Number).Int64(); b < 1 {
			t.Errorf("lines.begin = %d", b)
		}
	}
	for rule, want := range map[string]string{"DL3000": "critical", "DL3007": "major", "DL3015": "minor", "STR001": "info"} {
		if sev[rule] != want {
			t.Errorf("%s severity = %q, want %q", rule, sev[rule], want)
		}
	}
	// The fingerprint depends on file, rule, line and message only.
	f := Finding{File: "Dockerfile", Rule: "DL3008", Line: 3, Message: "m"}
	g := f
	g.Column, g.Severity, g.EndLine = 9, vocab.Error, 8
	if gitlabFingerprint(f) != gitlabFingerprint(g) {
		t.Error("fingerprint changes with column, severity or end line")
	}
	g.Line = 4
	if gitlabFingerprint(f) == gitlabFingerprint(g) {
		t.Error("fingerprint ignores the line")
	}
	if got := string(render(t, "gitlab", nil, Options{})); got != "[]\n" {
		t.Errorf("gitlab for no findings = %q", got)
	}
}

func TestSARIFContent(t *testing.T) {
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Name, Version string
					Rules         []struct {
						ID                   string
						DefaultConfiguration struct{ Level string }
						Properties           struct {
							Aliases []string
							Tags    []string
						}
					}
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           struct{ StartLine, EndLine, StartColumn int }
					}
				}
			}
		}
	}
	decodeJSON(t, render(t, "sarif", sampleReport(), Options{}), &log)
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs", len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "strata" || run.Tool.Driver.Version != "1.2.3" {
		t.Errorf("driver = %+v", run.Tool.Driver)
	}
	rules := run.Tool.Driver.Rules
	// Every rule of Report.Rules, plus DL4006 which only a finding names.
	if len(rules) != 11 {
		t.Errorf("%d rules, want 11", len(rules))
	}
	levels := map[string]string{}
	for _, res := range run.Results {
		if res.RuleIndex < 0 || res.RuleIndex >= len(rules) || rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s has ruleIndex %d", res.RuleID, res.RuleIndex)
		}
		levels[res.RuleID] = res.Level
		loc := res.Locations[0].PhysicalLocation
		if loc.Region.StartLine < 1 || loc.Region.EndLine < loc.Region.StartLine {
			t.Errorf("%s region %+v", res.RuleID, loc.Region)
		}
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("%s uriBaseId %q", res.RuleID, loc.ArtifactLocation.URIBaseID)
		}
	}
	for rule, want := range map[string]string{"DL3000": "error", "DL3007": "warning", "DL3015": "note", "STR001": "note", "DL4006": "warning"} {
		if levels[rule] != want {
			t.Errorf("%s level = %q, want %q", rule, levels[rule], want)
		}
	}
	for _, rule := range rules {
		if rule.ID == "DL3025" && !reflect.DeepEqual(rule.Properties.Aliases, []string{"JSONArgsRecommended"}) {
			t.Errorf("DL3025 aliases = %v", rule.Properties.Aliases)
		}
	}
}

func TestSARIFLocations(t *testing.T) {
	for _, tc := range []struct{ file, uri, base string }{
		{"Dockerfile", "Dockerfile", "%SRCROOT%"},
		{"./svc/../api/Dockerfile", "api/Dockerfile", "%SRCROOT%"},
		{"my dir/Dockerfile#1", "my%20dir/Dockerfile%231", "%SRCROOT%"},
		{"a:b/Dockerfile", "./a:b/Dockerfile", "%SRCROOT%"},
		{"/abs/Dockerfile", "file:///abs/Dockerfile", ""},
	} {
		uri, base := sarifURI(tc.file)
		if uri != tc.uri || base != tc.base {
			t.Errorf("sarifURI(%q) = %q, %q; want %q, %q", tc.file, uri, base, tc.uri, tc.base)
		}
	}
	lines := []string{"RUN echo héllo 😀 x"}
	for _, tc := range []struct{ col, want int }{
		{0, 0}, {1, 1}, {11, 11}, {13, 12}, {17, 16}, {21, 18}, {22, 19}, {99, 99},
	} {
		if got := utf16Column(lines, 1, tc.col); got != tc.want {
			t.Errorf("utf16Column(col %d) = %d, want %d", tc.col, got, tc.want)
		}
	}
	if got := utf16Column(nil, 1, 7); got != 7 {
		t.Errorf("utf16Column without source = %d, want 7", got)
	}
}

// TestOddInput runs every format over input that must neither panic nor
// produce invalid JSON or XML.
func TestOddInput(t *testing.T) {
	for _, name := range Formats() {
		for _, r := range []*Report{nil, {}, oddReport()} {
			out := render(t, name, r, Options{Color: true})
			switch name {
			case "json", "sarif", "gitlab":
				if !json.Valid(out) || !utf8.Valid(out) {
					t.Errorf("%s output is not valid UTF-8 JSON", name)
				}
			case "checkstyle":
				parseCheckstyle(t, out)
			}
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	for _, name := range Formats() {
		f, _ := Lookup(name)
		err := f(failWriter{}, sampleReport(), Options{})
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: error %v does not carry the write error", name, err)
		}
	}
}
