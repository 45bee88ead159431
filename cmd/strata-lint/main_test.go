package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/testenv"
)

// runLint runs strata-lint's command line in-process.
func runLint(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &cli.App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		IsTerminal: func(io.Writer) bool { return false }, Getenv: func(string) string { return "" }}
	code = cli.Run(context.Background(), a, newRootCommand(a), args)
	return code, out.String(), errb.String()
}

const dockerfile = `FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y curl
COPY . /app
CMD ["/app/run"]
`

// TestLintAndFix runs lint and fix through strata-lint: findings and
// exit statuses as strata's, fix's diff, and no estimate.
func TestLintAndFix(t *testing.T) {
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(df, []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errb := runLint(t, "lint", "--format", "json", df)
	if code != cli.ExitFindings {
		t.Fatalf("lint: exit %d, want %d\n%s%s", code, cli.ExitFindings, out, errb)
	}
	for _, id := range []string{`"DL3008"`, `"DL3009"`, `"DL3059"`} {
		if !strings.Contains(out, id) {
			t.Errorf("lint: no %s finding in\n%s", id, out)
		}
	}
	code, out, errb = runLint(t, "fix", df)
	if code == cli.ExitUsage || !strings.Contains(out, "+++ b/") || !strings.Contains(out, "--no-install-recommends") {
		t.Errorf("fix: exit %d, want a diff adding --no-install-recommends\n%s%s", code, out, errb)
	}
	code, out, errb = runLint(t, "fix", "--explain", "--write", df)
	if code == cli.ExitUsage || !strings.Contains(errb, "change(s)") {
		t.Errorf("fix --explain: exit %d, want the changes listed\n%s%s", code, out, errb)
	}
	if code, _, errb = runLint(t, "fix", "--estimate", df); code != cli.ExitUsage || !strings.Contains(errb, "unknown flag: --estimate") {
		t.Errorf("fix --estimate: exit %d, %q; want a usage error (no estimate in strata-lint)", code, errb)
	}
	if code, out, _ = runLint(t, "rules"); code != cli.ExitOK || !strings.Contains(out, "DL3008") {
		t.Errorf("rules: exit %d\n%s", code, out)
	}
}

// TestOnlyLintCommands checks strata-lint holds lint, fix, rules and
// explain, and names strata for the rest.
func TestOnlyLintCommands(t *testing.T) {
	var names []string
	for _, c := range newRootCommand(&cli.App{}).Commands() {
		names = append(names, c.Name())
	}
	slices.Sort(names)
	if want := []string{"explain", "fix", "lint", "rules"}; !slices.Equal(names, want) {
		t.Errorf("commands %v, want %v", names, want)
	}
	code, _, errb := runLint(t, "image", "alpine")
	if code != cli.ExitUsage || !strings.Contains(errb, `unknown command "image"`) {
		t.Errorf("image: exit %d, %q; want a usage error", code, errb)
	}
}

// TestNoEngineClients checks what strata-lint exists for: none of the
// Docker Engine, BuildKit, registry or telemetry clients is linked in
// (their package initialisation is most of strata's start-up).
func TestNoEngineClients(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "./cmd/strata-lint")
	cmd.Dir = testenv.ModuleRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 100 {
		t.Fatalf("go list -deps gave %d packages", len(deps))
	}
	for _, d := range deps {
		for _, heavy := range []string{
			"google.golang.org/grpc", "go.opentelemetry.io/otel", "github.com/docker/docker/client",
			"github.com/moby/buildkit/client", "github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb",
			"github.com/google/go-containerregistry/pkg/v1/remote",
			"github.com/stratatools/strata/internal/build", "github.com/stratatools/strata/internal/estimate",
			"github.com/stratatools/strata/internal/audit",
		} {
			if d == heavy {
				t.Errorf("strata-lint depends on %s", d)
			}
		}
	}
}
