package dist

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// runner runs a composite action's steps the way GitHub's runner does,
// for the part of its behaviour the action uses: inputs with their
// defaults, ${{ }} expressions over inputs, github.action_path and step
// outputs, if: conditions comparing an input with a string, bash steps
// run as "bash --noprofile --norc -eo pipefail FILE", the GITHUB_OUTPUT
// and GITHUB_PATH files, and the action's outputs. A step that uses
// another action is checked and skipped (actions/setup-go: Go is here).
type runner struct {
	t       *testing.T
	a       *action
	temp    string // RUNNER_TEMP, kept between runs
	skipped []string
}

func newRunner(t *testing.T, a *action) *runner {
	return &runner{t: t, a: a, temp: t.TempDir()}
}

// actionResult is one run of the action.
type actionResult struct {
	code    int
	log     string
	outputs map[string]string
}

var (
	ifRE    = regexp.MustCompile(`^\s*inputs\.([A-Za-z0-9_-]+)\s*(==|!=)\s*'([^']*)'\s*$`)
	stepRE  = regexp.MustCompile(`^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$`)
	inputOf = regexp.MustCompile(`^inputs\.([A-Za-z0-9_-]+)$`)
)

// run runs the action in workspace with the given inputs; the others
// take their defaults.
func (r *runner) run(workspace string, given map[string]string) actionResult {
	t := r.t
	t.Helper()
	inputs := map[string]string{}
	for name, in := range r.a.Inputs {
		inputs[name] = in.Default
	}
	for name, v := range given {
		if _, ok := r.a.Inputs[name]; !ok {
			t.Fatalf("the action has no input %s", name)
		}
		inputs[name] = v
	}
	steps := map[string]map[string]string{}
	eval := func(s string) string {
		return exprRE.ReplaceAllStringFunc(s, func(m string) string {
			e := strings.TrimSpace(exprRE.FindStringSubmatch(m)[1])
			if in := inputOf.FindStringSubmatch(e); in != nil {
				return inputs[in[1]]
			}
			if so := stepRE.FindStringSubmatch(e); so != nil {
				return steps[so[1]][so[2]]
			}
			if e == "github.action_path" {
				return root(t)
			}
			t.Fatalf("the test runner does not evaluate ${{ %s }}", e)
			return ""
		})
	}
	var log strings.Builder
	var path []string
	code := 0
	for i, s := range r.a.Runs.Steps {
		if s.If != "" {
			m := ifRE.FindStringSubmatch(s.If)
			if m == nil {
				t.Fatalf("step %q: the test runner does not evaluate if: %s", s.Name, s.If)
			}
			if (inputs[m[1]] == m[3]) != (m[2] == "==") {
				continue
			}
		}
		if s.Uses != "" {
			r.checkUses(s, eval)
			continue
		}
		files := map[string]string{}
		for _, f := range []string{"GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_ENV", "GITHUB_STEP_SUMMARY"} {
			files[f] = writeFile(t, t.TempDir(), f, "")
		}
		script := writeFile(t, t.TempDir(), "step.sh", s.Run)
		env := []string{"CI=true", "GITHUB_ACTIONS=true", "RUNNER_TEMP=" + r.temp, "GITHUB_WORKSPACE=" + workspace,
			"GITHUB_ACTION_PATH=" + root(t), "PATH=" + strings.Join(append(path, os.Getenv("PATH")), string(os.PathListSeparator))}
		for k, v := range files {
			env = append(env, k+"="+v)
		}
		for k, v := range s.Env {
			env = append(env, k+"="+eval(v))
		}
		dir := workspace
		if s.Dir != "" {
			dir = filepath.Join(workspace, eval(s.Dir))
		}
		res := runStep(t, dir, env, script)
		log.WriteString(res.stdout + res.stderr)
		if s.ID != "" {
			steps[s.ID] = readOutputs(t, files["GITHUB_OUTPUT"])
		}
		path = append(readLines(t, files["GITHUB_PATH"]), path...)
		if res.code != 0 {
			code = res.code
			t.Logf("step %d (%s) exited %d", i+1, s.Name, res.code)
			break
		}
	}
	outputs := map[string]string{}
	for name, o := range r.a.Outputs {
		outputs[name] = eval(o.Value)
	}
	return actionResult{code: code, log: log.String(), outputs: outputs}
}

// runStep runs a bash step's script as GitHub does.
func runStep(t *testing.T, dir string, env []string, script string) result {
	t.Helper()
	return run(t, 20*time.Minute, dir, env, nil, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
}

// checkUses checks a step that uses another action; the only one the
// action may use is actions/setup-go, reading strata's go.mod.
func (r *runner) checkUses(s step, eval func(string) string) {
	t := r.t
	t.Helper()
	if s.Uses != "actions/setup-go@v5" {
		t.Fatalf("step %q uses %s, which the test runner cannot run", s.Name, s.Uses)
	}
	gomod := eval(s.With["go-version-file"])
	data, err := os.ReadFile(gomod)
	if err != nil || !strings.Contains(string(data), "\ngo 1.26") {
		t.Errorf("setup-go's go-version-file %s: %v", gomod, err)
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("go is not on PATH")
	}
	r.skipped = append(r.skipped, s.Uses)
}

// readOutputs parses a GITHUB_OUTPUT file: NAME=VALUE lines and
// NAME<<DELIMITER blocks.
func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	lines := readLines(t, path)
	for i := 0; i < len(lines); i++ {
		if name, delim, ok := strings.Cut(lines[i], "<<"); ok && !strings.Contains(name, "=") {
			var v []string
			for i++; i < len(lines) && lines[i] != delim; i++ {
				v = append(v, lines[i])
			}
			out[name] = strings.Join(v, "\n")
			continue
		}
		name, v, ok := strings.Cut(lines[i], "=")
		if !ok {
			t.Fatalf("GITHUB_OUTPUT line %q is neither NAME=VALUE nor NAME<<DELIMITER", lines[i])
		}
		out[name] = v
	}
	return out
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
