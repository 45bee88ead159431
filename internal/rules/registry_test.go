package rules_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/rules"
	"github.com/stratatools/strata/internal/vocab"
)

// TestRegistry validates the registered rules (see rules.Validate).
func TestRegistry(t *testing.T) {
	all := rules.All()
	if err := rules.Validate(all); err != nil {
		t.Fatal(err)
	}
	if len(all) < 100 {
		t.Fatalf("only %d rules registered", len(all))
	}
	if &rules.All()[0] == &all[0] || rules.All()[0] != all[0] {
		t.Error("All must return a new slice of the same rule values")
	}
}

// TestValidateFinds checks that Validate rejects each kind of mistake.
func TestValidateFinds(t *testing.T) {
	good := func() *rules.Rule {
		return &rules.Rule{ID: "SD999", Name: "a-rule", Severity: vocab.Warning, Category: vocab.Size,
			Checklist: vocab.SizeCleanCaches, Check: func(*rules.Pass) error { return nil },
			Doc: rules.Doc{Summary: "s", Why: "w", Bad: "b", Good: "g"}}
	}
	if err := rules.Validate([]*rules.Rule{good()}); err != nil {
		t.Fatalf("a good rule: %v", err)
	}
	for name, c := range map[string]struct {
		change func(r *rules.Rule)
		want   string
	}{
		"duplicate ID":           {func(r *rules.Rule) { r.ID = "DL3008" }, "DL3008"},
		"alias of another ID":    {func(r *rules.Rule) { r.Aliases = []string{"dl3008"} }, "dl3008"},
		"alias of another alias": {func(r *rules.Rule) { r.Aliases = []string{"JSONArgsRecommended"} }, "JSONArgsRecommended"},
		"bad ID":                 {func(r *rules.Rule) { r.ID = "sd-999" }, "sd-999"},
		"ShellCheck code":        {func(r *rules.Rule) { r.ID = "SCRule" }, "ShellCheck"},
		"no summary":             {func(r *rules.Rule) { r.Doc.Summary = "" }, "summary"},
		"no why":                 {func(r *rules.Rule) { r.Doc.Why = "" }, "why"},
		"no bad example":         {func(r *rules.Rule) { r.Doc.Bad = "" }, "bad or a good"},
		"no good example":        {func(r *rules.Rule) { r.Doc.Good = "" }, "bad or a good"},
		"name":                   {func(r *rules.Rule) { r.Name = "A Rule" }, "kebab"},
		"category":               {func(r *rules.Rule) { r.Category = "speed" }, "category"},
		"severity":               {func(r *rules.Rule) { r.Severity = vocab.Ignore }, "severity"},
		"checklist key":          {func(r *rules.Rule) { r.Checklist = "size.everything" }, "checklist"},
		"no check":               {func(r *rules.Rule) { r.Check = nil }, "no check"},
		"retired with a check":   {func(r *rules.Rule) { r.Retired = true }, "retired"},
	} {
		r := good()
		c.change(r)
		err := rules.Validate(append(rules.All(), r))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Validate says %v, want an error about %q", name, err, c.want)
		}
	}
}

// TestLayout checks that a rule's ID leads to its file: every registered
// rule is declared, as a composite literal &Rule{ID: "ID", ...}, in the
// file named after its ID (rules.FileName), and every rule declared that
// way in the package is registered and in its own file.
func TestLayout(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string][]string{} // ID -> files declaring it
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if id, ok := ruleLiteralID(n); ok {
				declared[id] = append(declared[id], name)
			}
			return true
		})
	}
	registered := map[string]bool{}
	for _, r := range rules.All() {
		registered[r.ID] = true
		want := rules.FileName(r.ID)
		if _, err := os.Stat(want); err != nil {
			t.Errorf("rule %s: no file %s", r.ID, want)
			continue
		}
		if got := declared[r.ID]; len(got) != 1 || got[0] != want {
			t.Errorf("rule %s is declared in %v, want in %s alone", r.ID, got, want)
		}
	}
	var ids []string
	for id := range declared {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if !registered[id] {
			t.Errorf("rule %s is declared in %v but not registered in All (registry.go)", id, declared[id])
		}
	}
}

// ruleLiteralID returns the ID of a Rule composite literal whose ID is a
// string constant.
func ruleLiteralID(n ast.Node) (string, bool) {
	cl, ok := n.(*ast.CompositeLit)
	if !ok {
		return "", false
	}
	if t, ok := cl.Type.(*ast.Ident); !ok || t.Name != "Rule" {
		return "", false
	}
	for _, e := range cl.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if k, ok := kv.Key.(*ast.Ident); !ok || k.Name != "ID" {
			continue
		}
		if lit, ok := kv.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			id, err := strconv.Unquote(lit.Value)
			return id, err == nil
		}
	}
	return "", false
}
