package rules_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/rules"
)

// wantRE matches one expectation in a "# want" comment.
var wantRE = regexp.MustCompile(`"([^"]+)"`)

// TestRules runs every rule over the Dockerfiles under testdata/lint, in
// the manner of analysistest: a comment `# want "ID" ...` expects each
// listed rule to report on the next line that is not a comment, and any
// finding without such a comment fails the test. A case is either a file
// NAME.Dockerfile (its build context is an empty directory holding a
// .dockerignore that leaves out .git) or a directory holding a
// Dockerfile, whose directory is the build context.
func TestRules(t *testing.T) {
	cases, err := filepath.Glob("testdata/lint/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no test cases under testdata/lint")
	}
	covered := map[string]bool{}
	for _, c := range cases {
		name := filepath.Base(c)
		t.Run(name, func(t *testing.T) {
			path, ctxDir := c, ""
			if fi, err := os.Stat(c); err == nil && fi.IsDir() {
				ctxDir = contextCopy(t, c)
				path = filepath.Join(ctxDir, "Dockerfile")
			} else {
				ctxDir = t.TempDir()
				if err := os.WriteFile(filepath.Join(ctxDir, ".dockerignore"), []byte(".git\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for id := range checkCase(t, path, ctxDir) {
				covered[id] = true
			}
		})
	}
	// Every rule that runs must have at least one positive case.
	for _, r := range rules.All() {
		if r.Retired || r.DefaultOff || r == rules.SD002 { // SD002 (ShellCheck) is tested in sh_shellcheck_test.go
			continue
		}
		if !covered[r.ID] {
			t.Errorf("rule %s has no positive case (# want %q) under testdata/lint", r.ID, r.ID)
		}
	}
}

// contextCopy copies a directory case to a temporary build context and
// creates the directories its "test-mkdir" file lists (paths such as .git
// that cannot be committed inside this repository).
func contextCopy(t *testing.T, dir string) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	list, err := os.ReadFile(filepath.Join(dir, "test-mkdir"))
	if err == nil {
		for _, l := range strings.Fields(string(list)) {
			if err := os.MkdirAll(filepath.Join(dst, l), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Remove(filepath.Join(dst, "test-mkdir")); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// checkCase lints one file and compares findings with its expectations.
// It returns the rule IDs that were expected and found.
func checkCase(t *testing.T, path, ctxDir string) map[string]bool {
	t.Helper()
	f, err := dockerfile.ParseFile(path)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	bc, err := rules.LoadBuildContext(ctxDir, path)
	if err != nil {
		t.Fatalf("context: %v", err)
	}
	opts := rules.Options{Enable: enabledByComment(f), Ignore: []string{rules.SD002.ID}} // ShellCheck: see sh_shellcheck_test.go
	res, err := rules.Run(context.Background(), f, bc, opts)
	if err != nil {
		t.Fatalf("lint: %v", err)
	}
	want := expectations(f)
	got := map[string][]string{} // "line:ID" -> messages
	for _, d := range res.Diagnostics {
		k := fmt.Sprintf("%d:%s", d.Line, d.Rule.ID)
		got[k] = append(got[k], d.Message)
	}
	found := map[string]bool{}
	for k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("%s:%s: expected finding not reported", path, k)
			continue
		}
		found[strings.SplitN(k, ":", 2)[1]] = true
	}
	var extra []string
	for k, msgs := range got {
		if !want[k] {
			extra = append(extra, fmt.Sprintf("%s:%s: unexpected finding: %s", path, k, strings.Join(msgs, "; ")))
		}
	}
	sort.Strings(extra)
	for _, e := range extra {
		t.Error(e)
	}
	return found
}

// expectations reads `# want "ID"` comments: each applies to the next
// line that is not a comment or blank.
func expectations(f *dockerfile.File) map[string]bool {
	want := map[string]bool{}
	var pending []string
	for i, l := range f.Lines {
		t := strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(t, "# want "); ok {
			for _, m := range wantRE.FindAllStringSubmatch(rest, -1) {
				pending = append(pending, m[1])
			}
			continue
		}
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		for _, id := range pending {
			want[fmt.Sprintf("%d:%s", i+1, id)] = true
		}
		pending = nil
	}
	return want
}

// enabledByComment reads "# enable: ID,ID" comments so that cases can
// switch on rules that are off by default.
func enabledByComment(f *dockerfile.File) []string {
	var out []string
	for _, c := range f.Comments {
		if rest, ok := strings.CutPrefix(c.Text, "enable:"); ok {
			for _, id := range strings.Split(rest, ",") {
				if id = strings.TrimSpace(id); id != "" {
					out = append(out, id)
				}
			}
		}
	}
	return out
}
