package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/client"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/testenv"
)

// variant is an app under testdata/ whose toolchain or runtime the image
// installs with Debian's package manager, the shape the structural fixes
// got wrong on real projects: Go from golang-go installed in the RUN that
// builds, Node from nodejs and npm with dependencies from the npm
// registry and a VOLUME it writes, Python packages from python3-* with a
// SQLite file the app writes under its directory.
type variant struct {
	name  string
	check func(t *testing.T, cli *client.Client, img string)
}

func variants() []variant {
	return []variant{
		{name: "go-apt", check: serveCheck(0, "/health", "ok")},
		{name: "node-npm", check: serveCheck(0, "/", `"visits":1`)},
		{name: "python-apt", check: serveCheck(0, "/", `"visits":1`)},
	}
}

// TestE2EVariants builds each variant as written and as `strata fix
// --unsafe` rewrites it and wants both images to build and their app to
// answer: the fixed one as the unprivileged user the fix adds, writing
// where the app writes. It logs the sizes and each fixed Dockerfile.
func TestE2EVariants(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("builds six images with Debian's toolchains for several minutes; -short skips it (never when CI=true)")
	}
	cli := testenv.Engine(t)
	if cli == nil {
		return
	}
	testenv.RequireImage(t, testenv.DebianImage)
	root := filepath.Join("testdata")
	t.Cleanup(func() { pruneBuildCache(t, cli) })

	dirs := map[string][2]string{}
	vs := variants()
	for _, v := range vs {
		before, after := t.TempDir(), t.TempDir()
		for _, d := range []string{before, after} {
			if err := os.CopyFS(d, os.DirFS(filepath.Join(root, v.name))); err != nil {
				t.Fatalf("copying variant %s: %v", v.name, err)
			}
		}
		fixExample(t, v.name, after)
		dirs[v.name] = [2]string{before, after}
	}
	ensureBases(t, cli, dirs)
	for _, v := range vs {
		for _, tag := range []string{"original", "fixed"} {
			testenv.RemoveImage(t, cli, "strata-e2e-"+v.name+":"+tag)
		}
	}

	// One variant at a time, its two images side by side.
	var rows []string
	for _, v := range vs {
		t.Run(v.name, func(t *testing.T) {
			group := t
			var sizes [2]buildResult
			for i, lane := range []string{"original", "fixed"} {
				t.Run(lane, func(t *testing.T) {
					t.Parallel()
					tag := "strata-e2e-" + v.name + ":" + lane
					sizes[i] = buildImage(t, group, cli, dirs[v.name][i], tag, false)
					t.Logf("built in %v: %s", sizes[i].Duration.Round(time.Second), human(sizes[i].Size))
					v.check(t, cli, tag)
					if lane == "fixed" {
						checkUser(t, cli, dirs[v.name][i], tag)
					}
				})
			}
			t.Cleanup(func() {
				if sizes[0].ID != "" && sizes[1].ID != "" {
					rows = append(rows, v.name+" | "+human(sizes[0].Size)+" | "+human(sizes[1].Size))
				}
			})
		})
	}
	if len(rows) > 0 {
		t.Logf("variant | size before | size after\n%s", strings.Join(rows, "\n"))
	}
}

// checkUser wants the fixed image to run as the user its Dockerfile's
// last USER names, when it names one (the check has just run the app
// as that user).
func checkUser(t *testing.T, cli *client.Client, dir, img string) {
	t.Helper()
	f, err := dockerfile.ParseFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatalf("the fixed Dockerfile does not parse: %v", err)
	}
	want := ""
	for _, in := range f.FinalStage().Instructions {
		if in.Cmd == "user" {
			want = in.User()
		}
	}
	if want == "" {
		return
	}
	insp, err := cli.ImageInspect(t.Context(), img)
	if err != nil {
		t.Fatalf("inspecting %s: %v", img, err)
	}
	if insp.Config == nil || insp.Config.User != want {
		t.Fatalf("%s runs as %q, want %q (the fixed Dockerfile's USER)", img, insp.Config.User, want)
	}
	t.Logf("the fixed image answered running as %s", want)
}
