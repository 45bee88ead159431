package report

import (
	"bytes"
	"maps"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/testenv"
)

// heavyPackages are what the lint must not depend on, so that it ships in
// a small binary: BuildKit's LLB conversion and client, gRPC,
// OpenTelemetry, the Docker client, the registry client, and the models
// of strata estimate, context, cache and audit that pull them in (their
// renderers live in report/buildreport and report/auditreport). A
// package's own packages count too (google.golang.org/grpc/codes).
var heavyPackages = []string{
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb",
	"github.com/moby/buildkit/client",
	"google.golang.org/grpc",
	"go.opentelemetry.io/otel",
	"github.com/docker/docker/client",
	"github.com/google/go-containerregistry/pkg/v1/remote",
	"github.com/stratatools/strata/internal/estimate",
	"github.com/stratatools/strata/internal/audit",
	"github.com/stratatools/strata/internal/buildcontext",
	"github.com/stratatools/strata/internal/cachepredict",
}

// TestLintLeavesOutHeavyPackages lists what internal/lint and
// internal/report depend on (go list -deps) and fails on any of
// heavyPackages, naming the chain of imports that brings it in.
func TestLintLeavesOutHeavyPackages(t *testing.T) {
	const lint, report = "github.com/stratatools/strata/internal/lint", "github.com/stratatools/strata/internal/report"
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the lint's dependencies: %v", err)
	}
	cmd := exec.CommandContext(t.Context(), goTool, "list", "-deps", "-f", `{{.ImportPath}} {{join .Imports " "}}`, lint, report)
	cmd.Dir = testenv.ModuleRoot(t)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, stderr.Bytes())
	}
	imports := map[string][]string{}
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) > 0 {
			imports[fields[0]] = fields[1:]
		}
	}
	for _, want := range []string{lint, report, "github.com/stratatools/strata/internal/rules", "github.com/moby/buildkit/frontend/dockerfile/parser"} {
		if _, ok := imports[want]; !ok {
			t.Fatalf("go list -deps did not list %s: %d packages", want, len(imports))
		}
	}

	// The chain that brings each package in, from the first root that
	// reaches it (breadth first: the shortest).
	via := map[string]string{lint: "", report: ""}
	queue := []string{lint, report}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, q := range imports[p] {
			if _, seen := via[q]; !seen {
				via[q] = p
				queue = append(queue, q)
			}
		}
	}
	chain := func(p string) []string {
		var c []string
		for ; p != ""; p = via[p] {
			c = append(c, p)
		}
		slices.Reverse(c)
		return c
	}
	for _, p := range slices.Sorted(maps.Keys(imports)) {
		for _, heavy := range heavyPackages {
			if p == heavy || strings.HasPrefix(p, heavy+"/") {
				c := chain(p)
				t.Errorf("%s depends on %s:\n    %s", c[0], p, strings.Join(c, "\n    → "))
			}
		}
	}
}
