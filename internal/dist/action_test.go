package dist

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// action is what the tests read of action.yml.
type action struct {
	Inputs map[string]struct {
		Description string `yaml:"description"`
		Default     string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

type step struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Run   string            `yaml:"run"`
	Shell string            `yaml:"shell"`
	Uses  string            `yaml:"uses"`
	With  map[string]string `yaml:"with"`
	Env   map[string]string `yaml:"env"`
	Dir   string            `yaml:"working-directory"`
}

func readAction(t testing.TB) ([]byte, *action) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return data, &a
}

// TestActionSchema validates action.yml against the metadata syntax of
// GitHub Actions (testdata/action.schema.json), and checks that the
// schema rejects what it must.
func TestActionSchema(t *testing.T) {
	raw, err := os.ReadFile("testdata/action.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const loc = "https://strata.invalid/action.schema.json"
	if err := c.AddResource(loc, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(loc)
	if err != nil {
		t.Fatal(err)
	}
	validate := func(src []byte) error {
		var v any
		if err := yaml.Unmarshal(src, &v); err != nil {
			return err
		}
		j, err := json.Marshal(v)
		if err != nil {
			return err
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
		if err != nil {
			return err
		}
		return sch.Validate(inst)
	}
	data, _ := readAction(t)
	if err := validate(data); err != nil {
		t.Fatalf("action.yml does not follow the metadata syntax: %v", err)
	}
	for name, bad := range map[string]string{
		"no runs":            "name: x\ndescription: y\n",
		"run without shell":  "name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - run: echo\n",
		"run and uses":       "name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - run: echo\n      shell: bash\n      uses: a/b@v1\n",
		"input without text": "name: x\ndescription: y\ninputs:\n  a: {default: b}\nruns:\n  using: composite\n  steps:\n    - run: echo\n      shell: bash\n",
		"unknown key":        "name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - run: echo\n      shell: bash\n      timeout: 3\n",
	} {
		if validate([]byte(bad)) == nil {
			t.Errorf("the schema accepts an action with %s", name)
		}
	}
}

var (
	exprRE  = regexp.MustCompile(`\$\{\{(.*?)\}\}`)
	inputRE = regexp.MustCompile(`\binputs\.([A-Za-z0-9_-]+)`)
	envRE   = regexp.MustCompile(`\$\{?([A-Z_][A-Z0-9_]*)`)
)

// TestActionInputsUsed: every input is used by a step, every input a
// step uses is declared, every variable a step's env sets is read by its
// script, and the scripts pass ShellCheck.
func TestActionInputsUsed(t *testing.T) {
	data, a := readAction(t)
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q", a.Runs.Using)
	}
	used := map[string]bool{}
	for _, m := range exprRE.FindAllStringSubmatch(string(data), -1) {
		for _, in := range inputRE.FindAllStringSubmatch(m[1], -1) {
			used[in[1]] = true
		}
	}
	for _, s := range a.Runs.Steps {
		for _, in := range inputRE.FindAllStringSubmatch(s.If, -1) {
			used[in[1]] = true
		}
		if exprRE.MatchString(s.Run) {
			t.Errorf("step %q writes an expression into its script; pass it through env", s.Name)
		}
	}
	for name := range a.Inputs {
		if !used[name] {
			t.Errorf("input %s is declared but no step uses it", name)
		}
	}
	for name := range used {
		if _, ok := a.Inputs[name]; !ok {
			t.Errorf("a step uses input %s, which is not declared", name)
		}
	}
	shellcheck := tool(t, "shellcheck", "shellcheck")
	for _, s := range a.Runs.Steps {
		if s.Run == "" {
			continue
		}
		read := map[string]bool{}
		for _, m := range envRE.FindAllStringSubmatch(s.Run, -1) {
			read[m[1]] = true
		}
		for k := range s.Env {
			if !read[k] {
				t.Errorf("step %q sets %s, which its script never reads", s.Name, k)
			}
		}
		if s.Shell != "bash" {
			t.Errorf("step %q runs in %q; the scripts are bash", s.Name, s.Shell)
			continue
		}
		script := writeFile(t, t.TempDir(), "step.sh", s.Run)
		if r := run(t, time.Minute, "", nil, nil, shellcheck, "--shell=bash", "--severity=style", script); r.code != 0 {
			t.Errorf("ShellCheck on step %q:\n%s", s.Name, r.stdout)
		}
	}
}

// TestActionRunsLint runs the action's steps in lint mode on sample
// workspaces, as GitHub's runner would.
func TestActionRunsLint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds strata")
	}
	_, a := readAction(t)
	r := newRunner(t, a)

	// A bad Dockerfile with the defaults: the step fails, annotations
	// and SARIF are written.
	ws := t.TempDir()
	writeFile(t, ws, "Dockerfile", badDockerfile)
	res := r.run(ws, nil)
	if res.code != 1 {
		t.Fatalf("lint of a bad Dockerfile: exit %d, want 1\n%s", res.code, res.log)
	}
	if !strings.Contains(res.log, "::error file=Dockerfile,line=2,") || !strings.Contains(res.log, "title=DL4000") {
		t.Errorf("no annotation for DL4000:\n%s", res.log)
	}
	if !strings.Contains(res.log, "Dockerfile:2:1: error DL4000") {
		t.Errorf("no text report:\n%s", res.log)
	}
	if res.outputs["sarif-file"] != "strata.sarif" || res.outputs["exit-code"] != "1" {
		t.Errorf("outputs %v", res.outputs)
	}
	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if data, err := os.ReadFile(filepath.Join(ws, "strata.sarif")); err != nil {
		t.Error(err)
	} else if err := json.Unmarshal(data, &sarif); err != nil || sarif.Version != "2.1.0" || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) < 2 {
		t.Errorf("SARIF report: %v\n%s", err, data)
	}

	// Globs over two Dockerfiles, JSON in the log, nothing fails, no
	// SARIF, no annotations.
	ws = t.TempDir()
	writeFile(t, ws, "api/Dockerfile", badDockerfile)
	writeFile(t, ws, "web/Dockerfile", "FROM alpine:3.20\nCMD [\"true\"]\n")
	res = r.run(ws, map[string]string{"dockerfile": "**/Dockerfile", "format": "json", "failure-threshold": "none", "sarif-file": "", "annotations": "false"})
	if res.code != 0 || strings.Contains(res.log, "::error") || res.outputs["sarif-file"] != "" || res.outputs["exit-code"] != "0" {
		t.Errorf("lint with failure-threshold none: exit %d, outputs %v\n%s", res.code, res.outputs, res.log)
	}
	if !strings.Contains(res.log, `"file": "api/Dockerfile"`) || !strings.Contains(res.log, `"findings"`) {
		t.Errorf("the JSON report does not cover api/Dockerfile:\n%s", res.log)
	}
	if _, err := os.Stat(filepath.Join(ws, "strata.sarif")); err == nil {
		t.Error("a SARIF report was written although sarif-file is empty")
	}

	// Bad inputs stop the step with status 2 and say why.
	for _, c := range []struct {
		inputs map[string]string
		want   string
	}{
		{map[string]string{"command": "build"}, "unknown command"},
		{map[string]string{"dockerfile": "nothing/*"}, "no Dockerfile matches"},
		{map[string]string{"dockerfile": "**/Dockerfile", "config": "missing.yaml"}, "missing.yaml"},
	} {
		res = r.run(ws, c.inputs)
		if res.code != 2 || res.outputs["exit-code"] != "2" || !strings.Contains(res.log, c.want) {
			t.Errorf("inputs %v: exit %d, outputs %v, want 2 and %q\n%s", c.inputs, res.code, res.outputs, c.want, res.log)
		}
	}
	sort.Strings(r.skipped)
	if !slices.Equal(slices.Compact(r.skipped), []string{"actions/setup-go@v5"}) {
		t.Errorf("steps not run: %v", r.skipped)
	}
}
