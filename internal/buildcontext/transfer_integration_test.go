package buildcontext_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/buildcontext"
	"github.com/stratatools/strata/internal/buildplan"
	"github.com/stratatools/strata/internal/testenv"
)

// copyTree copies the files, directories and links under src to a new
// directory: a path BuildKit has never seen, so that its first transfer
// sends every file (BuildKit keeps the files of earlier transfers of a
// context and then sends only changes).
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm())
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_EXCL, info.Mode().Perm())
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// transferred starts a BuildKit build of the context and returns the
// bytes BuildKit reported for loading the build context. The build is
// stopped once the context is in: its steps (apt-get installs in the
// examples) do not change what the client sent.
func transferred(t *testing.T, spec build.Spec) int64 {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var got *build.Transfer
	spec.Transferred = func(tr build.Transfer) {
		if tr.Vertex == "[internal] load build context" && tr.Name == "context" {
			got = &tr
			cancel()
		}
	}
	_, err := build.Build(ctx, testenv.Engine(t), spec)
	if got != nil {
		return got.Bytes
	}
	if be, ok := err.(*build.Error); ok {
		t.Fatal(be.Detail())
	}
	t.Fatalf("BuildKit reported no transfer of the build context (build: %v)", err)
	return 0
}

type transferCase struct {
	name string
	dir  string
	// syntax is the frontend image, "" for the engine's own.
	syntax string
}

// TestIntegrationTransferredBytes: the bytes strata predicts for what
// BuildKit sends are the bytes BuildKit reports receiving, on every
// example (with the engine's frontend and with BuildKit's current one)
// and on a generated context of 10,000 files with nested .dockerignore
// exceptions.
func TestIntegrationTransferredBytes(t *testing.T) {
	cli := testenv.Engine(t)
	testenv.RequireImage(t, testenv.DebianImage)
	testenv.RequireImage(t, testenv.BusyboxImage)
	if t.Failed() || t.Skipped() {
		return
	}
	frontend := testenv.DockerfileFrontend(t, cli)
	tr := build.NewTracker(cli)
	t.Cleanup(func() {
		if err := tr.Cleanup(); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	examples, err := filepath.Glob("../../examples/*/Dockerfile")
	if err != nil || len(examples) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	var cases []transferCase
	for _, df := range examples {
		dir := filepath.Dir(df)
		cases = append(cases, transferCase{"example " + filepath.Base(dir), dir, ""}, transferCase{"example " + filepath.Base(dir) + ", current frontend", dir, frontend})
	}
	gen := generated(t, "FROM busybox\nCOPY . /ctx\n")
	named := generated(t, "FROM busybox\nCOPY pkg01/ /a/\nCOPY pkg1*/mod0*/*.go /b/\nCOPY node_modules /n/\nRUN --mount=type=bind,source=pkg22,target=/m ls /m > /l\n")
	cases = append(cases, transferCase{"generated 10,000 files", gen, ""}, transferCase{"generated 10,000 files, current frontend", gen, frontend},
		transferCase{"generated 10,000 files, named paths", named, ""}, transferCase{"generated 10,000 files, named paths, current frontend", named, frontend})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyTree(t, c.dir)
			df := filepath.Join(dir, "Dockerfile")
			if c.syntax != "" {
				src, err := os.ReadFile(df)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(df, append([]byte("# syntax="+c.syntax+"\n"), src...), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			plan, err := buildplan.Convert(context.Background(), df, nil, buildplan.Options{})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := buildcontext.Analyze(context.Background(), buildcontext.Request{Dir: dir, Dockerfile: df, Plan: plan})
			if err != nil {
				t.Fatal(err)
			}
			tag := build.NewName("strata-ctx-transfer") + ":t"
			tr.Image(tag)
			got := transferred(t, build.Spec{ContextDir: dir, Dockerfile: df, Tag: tag, Builder: build.BuilderBuildKit, Tracker: tr})
			want := rep.Sent.Transfer
			diff := float64(got-want) / float64(max(got, 1)) * 100
			t.Logf("predicted %d bytes (%d files, %s of content), BuildKit transferred %d: %+.3f%%", want, rep.Sent.Files, fmt.Sprint(rep.Sent.Bytes), got, diff)
			if diff > 1 || diff < -1 {
				t.Errorf("predicted %d bytes, BuildKit transferred %d (%.2f%% apart; within 1%% required)", want, got, diff)
			}
		})
	}
}

// generated makes a context of 10,000 files in nested folders, with a
// .dockerignore that excludes folders and brings files back with nested
// exceptions, and the Dockerfile.
func generated(t *testing.T, dockerfile string) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 10_000 {
		p := filepath.Join(dir, fmt.Sprintf("pkg%02d", i%40), fmt.Sprintf("mod%02d", (i/40)%25), fmt.Sprintf("f%05d.%s", i, []string{"go", "txt", "log", "json"}[i%4]))
		if i%997 == 0 {
			p = filepath.Join(dir, "node_modules", fmt.Sprintf("dep%d", i), "index.js")
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		size := rng.IntN(4000)
		if i%500 == 0 {
			size = 100_000 + rng.IntN(100_000)
		}
		data := make([]byte, size)
		for k := range data {
			data[k] = byte('a' + rng.IntN(26))
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ignore := strings.Join([]string{
		"*/*/*.log", "!pkg0*/mod0*/*.log", "pkg3*", "!pkg3*/mod1*", "pkg3*/mod1*/*.json",
		"node_modules", "!node_modules/dep0", "**/f*7.txt", "Dockerfile",
	}, "\n")
	if err := os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte(ignore+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
