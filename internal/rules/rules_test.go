package rules_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/rules"
)

// TestRules runs every rule over the Dockerfiles under testdata/lint, in
// the manner of analysistest. A comment
//
//	# want "ID" "ID: REGEXP" ...
//
// expects findings on the next line that is not a comment or blank. Each
// item is a Go string literal, double-quoted or back-quoted: "ID" expects a
// finding of rule ID (an ID or, for BuildKit checks, the check's name),
// whatever its message; "ID: REGEXP" expects a finding of rule ID whose
// message REGEXP matches (unanchored, Go syntax; write `...` to avoid
// doubling backslashes). Every item must be met, and any finding on a line
// without an item for its rule fails the test. A finding into which a
// twin rule's finding was merged (Diagnostic.Also) stands for the twin
// too: it needs an item for each ("DL3025" "JSONArgsRecommended"), and
// its message is the first rule's. A case is either a file
// NAME.Dockerfile (its build context is an empty directory holding a
// .dockerignore that leaves out .git) or a directory holding a
// Dockerfile, whose directory is the build context. A comment "# enable:
// ID,ID" switches on rules that are off by default. A comment
//
//	# want-next-line "ID" ...
//
// expects findings on the very next line, even a comment (DL1001 reports
// the pragma comment itself). Comments "# settings: KEY=VALUE" give the
// settings a configuration file would (see settingsByComment):
// trusted-registries=HOST,HOST (DL3026), label-schema=NAME:TYPE,NAME:TYPE
// and strict-labels=true (the label rules), today=YYYY-MM-DD (the day
// SD103 judges end-of-life dates on).
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
		if r.Retired || r.DefaultOff || r == rules.SD002 { // SD002 (ShellCheck) is tested in shellcheck_test.go
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
	settings, err := settingsByComment(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if settings.Today.IsZero() {
		settings.Today = caseDay
	}
	opts := rules.Options{Enable: enabledByComment(f), Ignore: []string{rules.SD002.ID}, // ShellCheck: see shellcheck_test.go
		Settings: settings}
	res, err := rules.Run(context.Background(), f, bc, opts)
	if err != nil {
		t.Fatalf("lint: %v", err)
	}
	want, err := expectations(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	got := map[string][]string{} // "line:ID" -> messages
	for _, d := range res.Diagnostics {
		k := fmt.Sprintf("%d:%s", d.Line, d.Rule.ID)
		got[k] = append(got[k], d.Message)
		for _, id := range d.Also {
			k := fmt.Sprintf("%d:%s", d.Line, id)
			got[k] = append(got[k], d.Message)
		}
	}
	found := map[string]bool{}
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		msgs, ok := got[k]
		if !ok {
			t.Errorf("%s:%s: expected finding not reported", path, k)
			continue
		}
		for _, re := range want[k] {
			if re != nil && !slices.ContainsFunc(msgs, re.MatchString) {
				t.Errorf("%s:%s: no message matches %q; got: %s", path, k, re, strings.Join(msgs, "; "))
			}
		}
		found[strings.SplitN(k, ":", 2)[1]] = true
	}
	var extra []string
	for k, msgs := range got {
		if _, ok := want[k]; !ok {
			extra = append(extra, fmt.Sprintf("%s:%s: unexpected finding: %s", path, k, strings.Join(msgs, "; ")))
		}
	}
	sort.Strings(extra)
	for _, e := range extra {
		t.Error(e)
	}
	return found
}

// expectations reads the `# want` comments of a case (see TestRules): for
// each "line:ID" it returns the message patterns to meet, with a nil
// pattern for an item that names the rule alone.
func expectations(f *dockerfile.File) (map[string][]*regexp.Regexp, error) {
	want := map[string][]*regexp.Regexp{}
	type item struct {
		id string
		re *regexp.Regexp
	}
	parse := func(line int, rest string) ([]item, error) {
		items, err := wantItems(rest)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		var out []item
		for _, it := range items {
			id, pat, hasPat := strings.Cut(it, ":")
			var re *regexp.Regexp
			if hasPat {
				if re, err = regexp.Compile(strings.TrimSpace(pat)); err != nil {
					return nil, fmt.Errorf("line %d: %w", line, err)
				}
			}
			out = append(out, item{strings.TrimSpace(id), re})
		}
		return out, nil
	}
	var pending []item
	for i, l := range f.Lines {
		t := strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(t, "# want-next-line "); ok {
			items, err := parse(i+1, rest)
			if err != nil {
				return nil, err
			}
			if i+1 >= len(f.Lines) {
				return nil, fmt.Errorf("line %d: # want-next-line at the end of the file", i+1)
			}
			for _, it := range items {
				k := fmt.Sprintf("%d:%s", i+2, it.id)
				want[k] = append(want[k], it.re)
			}
			continue
		}
		if rest, ok := strings.CutPrefix(t, "# want "); ok {
			items, err := parse(i+1, rest)
			if err != nil {
				return nil, err
			}
			pending = append(pending, items...)
			continue
		}
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		for _, it := range pending {
			k := fmt.Sprintf("%d:%s", i+1, it.id)
			want[k] = append(want[k], it.re)
		}
		pending = nil
	}
	if len(pending) > 0 {
		return nil, fmt.Errorf("a # want comment at the end of the file applies to no line")
	}
	return want, nil
}

// wantItems splits the text after "# want " into its Go string literals.
func wantItems(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return nil, fmt.Errorf("# want: %q is not a Go string literal", s)
		}
		v, err := strconv.Unquote(q)
		if err != nil || v == "" {
			return nil, fmt.Errorf("# want: bad item %s", q)
		}
		out = append(out, v)
		s = s[len(q):]
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("# want without an item")
	}
	return out, nil
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

// caseDay is the day the cases judge end-of-life dates on (SD103) unless
// one sets "# settings: today=YYYY-MM-DD": the bases the cases were
// written with were supported then, so a case does not start failing as
// the calendar moves on.
var caseDay = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

// settingsByComment reads "# settings: KEY=VALUE" comments (see TestRules).
func settingsByComment(f *dockerfile.File) (rules.Settings, error) {
	var s rules.Settings
	list := func(v string) []string {
		var out []string
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
		return out
	}
	for _, c := range f.Comments {
		rest, ok := strings.CutPrefix(c.Text, "settings:")
		if !ok {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimSpace(rest), "=")
		if !ok {
			return s, fmt.Errorf("line %d: # settings: wants KEY=VALUE", c.Line)
		}
		switch strings.TrimSpace(k) {
		case "trusted-registries":
			s.TrustedRegistries = append(s.TrustedRegistries, list(v)...)
		case "label-schema":
			if s.RequiredLabels == nil {
				s.RequiredLabels = map[string]string{}
			}
			for _, kv := range list(v) {
				name, typ, ok := strings.Cut(kv, ":")
				if !ok {
					return s, fmt.Errorf("line %d: label-schema wants NAME:TYPE, got %q", c.Line, kv)
				}
				s.RequiredLabels[name] = typ
			}
		case "today":
			d, err := time.Parse("2006-01-02", strings.TrimSpace(v))
			if err != nil {
				return s, fmt.Errorf("line %d: today: %w", c.Line, err)
			}
			s.Today = d
		case "strict-labels":
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return s, fmt.Errorf("line %d: strict-labels: %w", c.Line, err)
			}
			s.StrictLabels = b
		default:
			return s, fmt.Errorf("line %d: unknown setting %q", c.Line, k)
		}
	}
	return s, nil
}
