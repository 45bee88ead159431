package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImageTextAndJSON(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	p := wasteArchive(t, dir)
	r := runStrata(t, "", nil, false, "image", p)
	if r.code != 0 {
		t.Fatalf("code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"Layers", "Waste", "deleted", "layer 2 deleted 3.00 MB created by layer 1", "Findings", "SI001", "Gate"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "\x1b[") || r.stderr != "" {
		t.Errorf("colour or stderr output off a terminal: %q", r.stderr)
	}
	r = runStrata(t, "", nil, false, "image", "--format", "json", "docker-archive:"+p)
	if r.code != 0 {
		t.Fatalf("json: code %d %s", r.code, r.stderr)
	}
	d := decodeImageDoc(t, r.stdout)
	if len(d.Layers) != 2 || d.Waste.Deleted != 3_000_000 || !d.Gate.Pass || len(d.Gate.Checks) != 0 || len(d.Checklist) == 0 {
		t.Fatalf("json doc = %+v", d)
	}
}

func TestImageGateExitCodes(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	p := wasteArchive(t, dir)
	// Gating and the JSON report come from one run.
	r := runStrata(t, "", nil, false, "image", "-f", "json", "--max-wasted-bytes", "1MB", p)
	d := decodeImageDoc(t, r.stdout)
	if r.code != 1 || d.Gate.Pass || d.Gate.Checks[0].Name != "max-wasted-bytes" {
		t.Fatalf("code %d gate %+v", r.code, d.Gate)
	}
	if r := runStrata(t, "", nil, false, "image", "--min-efficiency", "0.0003", "--max-size", "10MB", p); r.code != 0 {
		t.Fatalf("passing gate: code %d\n%s", r.code, r.stdout)
	}
	if r := runStrata(t, "", nil, false, "image", "--fail-on", "warning", p); r.code != 1 {
		t.Fatalf("--fail-on warning: code %d", r.code)
	}

	// dive's .dive-ci is read from the current directory.
	writeFile(t, dir, ".dive-ci", "rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: disabled\n")
	r = runStrata(t, "", nil, false, "image", "-f", "json", p)
	if d := decodeImageDoc(t, r.stdout); r.code != 1 || d.Gate.Checks[0].Name != "min-efficiency" {
		t.Fatalf(".dive-ci: code %d %+v", r.code, d.Gate)
	}
	// .strata.yaml overrides .dive-ci, flags override both.
	writeFile(t, dir, ".strata.yaml", "image:\n  min-efficiency: 0.0001\n  max-wasted-bytes: 2MB\n")
	if r := runStrata(t, "", nil, false, "image", p); r.code != 1 || !strings.Contains(r.stdout, "max-wasted-bytes") {
		t.Fatalf(".strata.yaml: code %d\n%s", r.code, r.stdout)
	}
	if r := runStrata(t, "", nil, false, "image", "--max-wasted-bytes", "4MB", p); r.code != 0 {
		t.Fatalf("flag override: code %d\n%s", r.code, r.stdout)
	}
	// --ignore leaves the deleted path out of the waste figures.
	if r := runStrata(t, "", nil, false, "image", "--ignore", "/tmp", p); r.code != 0 {
		t.Fatalf("--ignore: code %d\n%s", r.code, r.stdout)
	}
	writeFile(t, dir, ".strata.yaml", "image:\n  max-size: lots\n")
	if r := runStrata(t, "", nil, false, "image", p); r.code != 2 || !strings.Contains(r.stderr, "max-size") {
		t.Fatalf("bad config: code %d %q", r.code, r.stderr)
	}
}

func TestImageBadInput(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	empty := writeFile(t, dir, "empty.tar", "")
	if r := runStrata(t, "", nil, false, "image", empty); r.code != 2 || !strings.Contains(r.stderr, "empty") {
		t.Fatalf("empty file: code %d %q", r.code, r.stderr)
	}
	if r := runStrata(t, "", nil, false, "image", filepath.Join(dir, "missing.tar")); r.code != 2 {
		t.Fatalf("missing file: code %d %q", r.code, r.stderr)
	}
	p := wasteArchive(t, dir)
	if r := runStrata(t, "", nil, false, "image", "-f", "sarif", p); r.code != 2 || !strings.Contains(r.stderr, "--dockerfile") {
		t.Fatalf("sarif without Dockerfile: code %d %q", r.code, r.stderr)
	}
	if r := runStrata(t, "", nil, false, "image", "--platform", "a/b/c/d", p); r.code != 2 {
		t.Fatalf("bad platform: code %d", r.code)
	}
	if r := runStrata(t, "", nil, false, "image", "--max-wasted-percent", "150", p); r.code != 2 {
		t.Fatalf("bad threshold: code %d", r.code)
	}
	if r := runStrata(t, "", nil, false, "image"); r.code != 2 {
		t.Fatalf("no argument: code %d", r.code)
	}
	// A daemon that is not there.
	if r := runStrata(t, "", map[string]string{}, false, "image", "--source", "docker-daemon", "nothing:here"); r.code != 2 || r.stderr == "" {
		t.Fatalf("daemon: code %d %q", r.code, r.stderr)
	}
}

func TestImageDockerfileMapping(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	p := wasteArchive(t, dir)
	df := writeFile(t, dir, "Dockerfile", imageDockerfile)
	r := runStrata(t, "", nil, false, "image", "-f", "json", "--dockerfile", df, p)
	if r.code != 0 {
		t.Fatalf("code %d %s", r.code, r.stderr)
	}
	d := decodeImageDoc(t, r.stdout)
	if d.Layers[0].Line != 2 || d.Layers[1].Line != 3 {
		t.Fatalf("layers = %+v", d.Layers)
	}
	found := false
	for _, f := range d.Findings {
		if f.Rule == "SI001" && f.Line == 2 {
			found = true
		}
	}
	if !found {
		t.Fatalf("SI001 not on line 2 (the COPY that created the bytes): %+v", d.Findings)
	}
	r = runStrata(t, "", nil, false, "image", "-f", "sarif", "--dockerfile", df, p)
	if r.code != 0 {
		t.Fatalf("sarif: code %d %s", r.code, r.stderr)
	}
	var sarif struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sarif); err != nil {
		t.Fatalf("sarif: %v\n%s", err, r.stdout)
	}
	ok := false
	for _, res := range sarif.Runs[0].Results {
		if res.RuleID == "SI001" && res.Locations[0].PhysicalLocation.Region.StartLine == 2 &&
			strings.HasSuffix(res.Locations[0].PhysicalLocation.ArtifactLocation.URI, "Dockerfile") {
			ok = true
		}
	}
	if !ok {
		t.Fatalf("sarif results = %+v", sarif.Runs[0].Results)
	}
	if r := runStrata(t, "", nil, false, "image", "-f", "checkstyle", "--dockerfile", df, p); r.code != 0 || !strings.Contains(r.stdout, "SI001") {
		t.Fatalf("checkstyle: code %d %s", r.code, r.stdout)
	}
}

func TestImageProgressOnTerminal(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	p := wasteArchive(t, dir)
	r := runStrata(t, "", map[string]string{"TERM": "xterm"}, true, "image", p)
	if r.code != 0 || !strings.Contains(r.stderr, "reading layers 2/2") {
		t.Fatalf("code %d stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "\x1b[") {
		t.Fatalf("no colour on a terminal")
	}
	if r := runStrata(t, "", map[string]string{"TERM": "xterm"}, true, "image", "--no-progress", p); strings.Contains(r.stderr, "reading") {
		t.Fatalf("--no-progress: %q", r.stderr)
	}
}

// The archive streamed on standard input.
func TestImageStdin(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	raw, err := os.ReadFile(wasteArchive(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	r := runStrata(t, string(raw), nil, false, "image", "-f", "json", "-")
	if d := decodeImageDoc(t, r.stdout); r.code != 0 || d.Waste.Deleted != 3_000_000 {
		t.Fatalf("code %d %+v %s", r.code, d.Waste, r.stderr)
	}
}
