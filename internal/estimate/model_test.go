package estimate

import (
	"testing"

	"github.com/stratatools/strata/internal/buildplan"
	"github.com/stratatools/strata/internal/estimate/baseimage"
)

func TestConfidenceAndRange(t *testing.T) {
	if Weaker(Exact, Guessed) != Guessed || Weaker(Unknown, Declared) != Unknown || Weaker("", Modelled) != Modelled {
		t.Error("Weaker does not pick the less sure")
	}
	if !Exact.Sure() || !Declared.Sure() || Modelled.Sure() {
		t.Error("Sure")
	}
	r := Around(100, 0.1, 0.2).Add(Point(10))
	if r != (Range{Low: 100, Expected: 110, High: 130}) || r.IsPoint() || !Point(3).IsPoint() {
		t.Errorf("ranges: %+v", r)
	}
	if b := Between(10, 5, 3); b.Low > b.Expected || b.High < b.Expected {
		t.Errorf("Between keeps the expected figure inside: %+v", b)
	}
}

func TestTree(t *testing.T) {
	tr := &tree{}
	tr.add(&entry{path: "/app", files: map[string]int64{"a.py": 10, "lib/b.py": 20, "lib/c.txt": 5}, conf: Exact, source: "context"})
	tr.add(&entry{path: "/out/bin", size: Point(1000), conf: Guessed, source: "go build"})
	tr.add(&entry{path: "/src", files: map[string]int64{"hello.c": 50}, conf: Exact, source: "context"})
	art := Part{Size: Point(800), Confidence: Guessed, Source: "make"}
	tr.add(&entry{path: "/src", size: Point(900), conf: Guessed, artifact: &art})
	for _, c := range []struct {
		p    string
		want int64
		ok   bool
	}{
		{"/app", 35, true},
		{"/app/lib", 25, true},
		{"/app/lib/b.py", 20, true},
		{"/", 35 + 1000 + 50 + 900, true},
		{"/out", 1000, true},
		{"/src/hello", 800, true},
		{"/src/hello.c", 50, true},
		{"/etc", 0, false},
	} {
		f, ok := tr.lookup(c.p)
		if ok != c.ok || f.size.Expected != c.want {
			t.Errorf("lookup(%s) = %d %v, want %d %v", c.p, f.size.Expected, ok, c.want, c.ok)
		}
	}
	cl := tr.clone()
	cl.remove("/app/lib")
	if f, _ := cl.lookup("/app"); f.size.Expected != 10 {
		t.Errorf("after rm /app/lib: %d", f.size.Expected)
	}
	if f, _ := tr.lookup("/app"); f.size.Expected != 35 {
		t.Errorf("the clone's removal reached the original: %d", f.size.Expected)
	}
	cl.remove("/out")
	if _, ok := cl.lookup("/out/bin"); ok {
		t.Error("a removed entry is still found")
	}
}

func TestDstRel(t *testing.T) {
	for _, c := range []struct {
		r         buildplan.Read
		rel, want string
	}{
		{buildplan.Read{Path: ""}, "src/a.go", "src/a.go"},
		{buildplan.Read{Path: "src"}, "src/a.go", "a.go"},
		{buildplan.Read{Path: "go.mod"}, "go.mod", "go.mod"},
		{buildplan.Read{Path: "*.txt", Wildcard: true}, "a.txt", "a.txt"},
		{buildplan.Read{Path: "site/*", Wildcard: true}, "site/css/x.css", "css/x.css"},
	} {
		if got := dstRel(c.r, c.rel); got != c.want {
			t.Errorf("dstRel(%+v, %s) = %s, want %s", c.r, c.rel, got, c.want)
		}
	}
}

func TestGuessOS(t *testing.T) {
	for ref, want := range map[string]string{
		"debian:bookworm-slim":      "debian/bookworm",
		"debian:11":                 "debian/bullseye",
		"python:3.12-slim-bookworm": "debian/bookworm",
		"node:20-alpine":            "alpine/",
		"ubuntu:22.04":              "ubuntu/jammy",
		"ubuntu":                    "ubuntu/noble",
		"gcr.io/distroless/static":  "/",
	} {
		o := guessOS(ref)
		if got := o.ID + "/" + o.Codename; got != want {
			t.Errorf("guessOS(%s) = %s, want %s", ref, got, want)
		}
	}
	if n, ok := typicalSize("docker.io/library/python:3.12-slim"); !ok || n != 130_000_000 {
		t.Errorf("typical python slim: %d %v", n, ok)
	}
	if _, ok := typicalSize("example.test/app:1"); ok {
		t.Error("a typical size for an unknown image")
	}
}

func TestCountRequires(t *testing.T) {
	gomod := "module x\n\nrequire (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/c/d v1.0.0 // indirect\n\t// comment\n\tgithub.com/e/f v1.2.0\n)\n\nrequire github.com/g/h v0.1.0\n"
	if n := countRequires(gomod); n != 3 {
		t.Errorf("countRequires = %d, want 3 direct requirements", n)
	}
}

func TestAssumedApkRepos(t *testing.T) {
	for ref, want := range map[string]string{
		"alpine:3.19":            "https://dl-cdn.alpinelinux.org/alpine/v3.19/main",
		"python:3.12-alpine3.20": "https://dl-cdn.alpinelinux.org/alpine/v3.20/main",
		"node:20-alpine":         "https://dl-cdn.alpinelinux.org/alpine/latest-stable/main",
		"alpine":                 "https://dl-cdn.alpinelinux.org/alpine/latest-stable/main",
	} {
		got := assumedApkRepos(&baseimage.Facts{Ref: ref})
		if len(got) != 2 || got[0] != want {
			t.Errorf("assumedApkRepos(%s) = %v, want %s first", ref, got, want)
		}
	}
}
