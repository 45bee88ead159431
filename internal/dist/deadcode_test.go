package dist

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// evalField is text/template's field lookup, which calls
// reflect.Value.MethodByName with a name known only when it runs: once it
// is reachable, the linker keeps every exported method of every type in
// the binary (about 6 MB of strata's).
const evalField = "text/template.(*state).evalField"

// goBuildTags reads the build tags of the Dockerfile's go build line.
var goBuildTags = regexp.MustCompile(`go build [^\n]*-tags[= ]([A-Za-z0-9_,]+)`)

// TestBinaryKeepsDeadCodeElimination links cmd/strata as the Dockerfile
// builds it (its build tags) with the linker's dependency dump and fails,
// with the chain of references that reaches it, if text/template's field
// lookup is reachable: an HTML page written with html/template, or a
// package whose init executes a template (grpc's net/trace without the
// grpcnotrace tag), would bring it back. It takes a link of strata, about
// 20 to 40 seconds, and runs under -short too.
func TestBinaryKeepsDeadCodeElimination(t *testing.T) {
	dockerfile, err := os.ReadFile(filepath.Join(root(t), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	m := goBuildTags.FindSubmatch(dockerfile)
	if m == nil || !slices.Contains(strings.Split(string(m[1]), ","), "grpcnotrace") {
		t.Fatal("the Dockerfile's go build line does not set -tags grpcnotrace")
	}
	start := time.Now()
	b := run(t, 10*time.Minute, root(t), []string{"CGO_ENABLED=0"}, nil,
		"go", "build", "-tags", string(m[1]), "-ldflags=-dumpdep", "-o", os.DevNull, "./cmd/strata")
	if b.code != 0 {
		t.Fatalf("go build: exit %d\n%.3000s", b.code, b.stderr)
	}
	t.Logf("linked with -tags %s in %s", m[1], time.Since(start).Round(time.Second))
	parents := reachedFrom(b.stderr)
	if _, ok := chainTo(parents, "main.main"); !ok {
		t.Fatalf("the linker's dump (%d symbols) does not reach main.main:\n%.2000s", len(parents), b.stderr)
	}
	if chain, ok := chainTo(parents, evalField); ok {
		t.Errorf("%s is reachable, so the linker keeps every exported method; the chain:\n  %s", evalField, strings.Join(chain, "\n  -> "))
	}
}

// reachedFrom reads the linker's -dumpdep output ("from -> to" lines, a
// symbol followed by " <Attribute>" where the linker marks it) and returns
// for each symbol the one that first reached it: the dead-code pass marks
// a symbol once, so following them leads back to the root "_".
func reachedFrom(dump string) map[string]string {
	parents := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(dump))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		from, to, ok := strings.Cut(sc.Text(), " -> ")
		if !ok {
			continue
		}
		to = trimAttribute(to)
		if _, seen := parents[to]; !seen {
			parents[to] = trimAttribute(from)
		}
	}
	return parents
}

// trimAttribute drops a symbol's " <ReflectMethod>"-style suffix.
func trimAttribute(sym string) string {
	if i := strings.LastIndex(sym, " <"); i > 0 && strings.HasSuffix(sym, ">") {
		return sym[:i]
	}
	return sym
}

// chainTo is the chain of symbols from the root "_" to sym, if sym was
// reached.
func chainTo(parents map[string]string, sym string) ([]string, bool) {
	if _, ok := parents[sym]; !ok {
		return nil, false
	}
	chain := []string{sym}
	for s := sym; s != "_" && len(chain) <= len(parents); {
		s = parents[s]
		if s == "" {
			break
		}
		chain = append(chain, s)
	}
	slices.Reverse(chain)
	return chain, true
}
