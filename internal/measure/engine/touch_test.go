package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
)

func TestPickTouch(t *testing.T) {
	files := []string{".dockerignore", ".git/HEAD", ".git/config", "Dockerfile", "README.md", "app/main.py", "app/util.py", "requirements.txt", "static/logo.png"}
	tests := []struct {
		name, dockerfile, target, want string
	}{
		{"the source copied after the manifest: its main file, not the manifest or the README",
			"FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n", "", "app/main.py"},
		{"the file the command runs",
			"FROM python:3.12\nWORKDIR /srv\nCOPY . .\nCMD [\"python\", \"app/util.py\"]\n", "", "app/util.py"},
		{"a file a build step reads",
			"FROM debian:bookworm\nCOPY . /src\nWORKDIR /src\nRUN convert static/*.png /out.jpg\n", "", "static/logo.png"},
		{"never under .git",
			"FROM busybox\nCOPY . /ctx\n", "", "app/main.py"},
		{"a directory source",
			"FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY app/ /srv/app/\n", "", "app/main.py"},
		{"a glob source",
			"FROM python:3.12\nCOPY app/*.py /srv/\n", "", "app/main.py"},
		{"a glob matching a directory",
			"FROM nginx\nCOPY stat* /usr/share/nginx/html/\n", "", "static/logo.png"},
		{"the only copy is the manifest",
			"FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n", "", "requirements.txt"},
		{"a later copy that repeats a source file: the source file",
			"FROM python:3.12\nCOPY . .\nCOPY app/main.py /main.py\n", "", "app/main.py"},
		{"copies from another stage do not count",
			"FROM golang AS build\nCOPY app/ /src/\nFROM scratch\nCOPY --from=build /src /src\n", "", "app/main.py"},
		{"unused stages do not count",
			"FROM alpine AS docs\nCOPY README.md /\nFROM python:3.12\nCOPY app/util.py /\n", "", "app/util.py"},
		{"--target picks the stage",
			"FROM alpine AS docs\nCOPY README.md /\nFROM python:3.12\nCOPY app/util.py /\n", "docs", "README.md"},
		{"JSON form and ./ prefix",
			"FROM python:3.12\nCOPY [\"./app/util.py\", \"/srv/\"]\n", "", "app/util.py"},
		{"ADD of a URL is not the context",
			"FROM python:3.12\nADD https://example.com/x.tgz /x.tgz\nADD app/main.py /\n", "", "app/main.py"},
		{"a variable source matches nothing",
			"FROM python:3.12\nARG SRC=app\nCOPY $SRC /srv\n", "", ""},
		{"nothing copied",
			"FROM busybox\nRUN echo hi\n", "", ""},
		{"only the Dockerfile is copied",
			"FROM busybox\nCOPY Dockerfile /\n", "", "Dockerfile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := dockerfile.Parse("Dockerfile", []byte(tt.dockerfile))
			if err != nil {
				t.Fatal(err)
			}
			if got := PickTouch(f, tt.target, files, "Dockerfile"); got != tt.want {
				t.Errorf("PickTouch = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSourceMatches(t *testing.T) {
	tests := []struct {
		src, path string
		want      bool
	}{
		{".", "a/b.txt", true},
		{"./", "x", true},
		{"/", "x", true},
		{"a", "a/b.txt", true},
		{"a/", "a/b.txt", true},
		{"./a/b.txt", "a/b.txt", true},
		{"a/b", "a/bc.txt", false},
		{"*.txt", "b.txt", true},
		{"*.txt", "a/b.txt", false},
		{"a/*.txt", "a/b.txt", true},
		{"a*", "abc/d.txt", true},
		{"$X", "x", false},
		{"[", "x", false},
	}
	for _, tt := range tests {
		if got := sourceMatches(tt.src, tt.path); got != tt.want {
			t.Errorf("sourceMatches(%q, %q) = %v, want %v", tt.src, tt.path, got, tt.want)
		}
	}
}

func TestTouchTarget(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"app/main.py", "secret.env"} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sent := []string{"app/main.py"}
	if got, err := touchTarget(dir, "app/main.py", sent); err != nil || got != "app/main.py" {
		t.Errorf("context-relative: %q, %v", got, err)
	}
	if got, err := touchTarget(dir, filepath.Join(dir, "app", "main.py"), sent); err != nil || got != "app/main.py" {
		t.Errorf("absolute: %q, %v", got, err)
	}
	for p, want := range map[string]string{
		"secret.env":                     "excluded by .dockerignore",
		"app":                            "not a regular file",
		"missing.py":                     "not inside the build context",
		filepath.Join(dir, "nope.py"):    "no such file",
		filepath.Join(os.TempDir(), "x"): "not inside the build context",
	} {
		if _, err := touchTarget(dir, p, sent); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "--touch") {
			t.Errorf("touchTarget(%q) = %v, want an error saying %q", p, err, want)
		}
	}
}

func TestTouchFileChangesEachRun(t *testing.T) {
	p := filepath.Join(t.TempDir(), "main.py")
	orig := []byte("print('hi')\n")
	seen := map[string]bool{}
	for _, mark := range []uint64{0, 1, 7, 8, 1 << 40, 1<<40 + 1} {
		if err := touchFile(p, orig, 0o644, mark); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		tail, ok := strings.CutPrefix(string(got), string(orig))
		if !ok || strings.Trim(tail, " \n") != "" || !strings.HasPrefix(tail, "\n") {
			t.Errorf("mark %d: %q is not the original plus blank lines", mark, got)
		}
		if seen[string(got)] {
			t.Errorf("mark %d repeats an earlier content", mark)
		}
		seen[string(got)] = true
	}
}

// TestTouchNeverVersionControl: a context that sends .git (no
// .dockerignore) still has its warm change made to a file of the app.
func TestTouchNeverVersionControl(t *testing.T) {
	f, err := dockerfile.Parse("Dockerfile", []byte("FROM busybox\nCOPY . /ctx\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := PickTouch(f, "", []string{".git/HEAD", ".git/index", ".hg/store", "data.bin"}, "Dockerfile"); got != "data.bin" {
		t.Errorf("PickTouch = %q, want data.bin", got)
	}
	for _, p := range TouchCandidates(f, "", []string{".git/HEAD", "sub/.svn/entries"}, "Dockerfile") {
		t.Errorf("candidate %q lies in version-control data", p)
	}
}

// TestTouchExamples picks the main source file of every example, as the
// examples (and the proof's table) name it.
func TestTouchExamples(t *testing.T) {
	want := map[string]string{"flask": "app.py", "go": "main.go", "node": "server.js", "static": "site/index.md", "c": "hello.c"}
	for name, w := range want {
		dir := filepath.Join("..", "..", "..", "examples", name)
		var files []string
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		f, err := dockerfile.ParseFile(filepath.Join(dir, "Dockerfile"))
		if err != nil {
			t.Fatal(err)
		}
		if got := PickTouch(f, "", files, "Dockerfile"); got != w {
			t.Errorf("%s: PickTouch = %q, want %q (candidates %v)", name, got, w, TouchCandidates(f, "", files, "Dockerfile"))
		}
	}
}
