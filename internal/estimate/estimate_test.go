package estimate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/estimate/apk"
	"github.com/stratatools/strata/internal/estimate/baseimage"
	"github.com/stratatools/strata/internal/estimate/deb"
	"github.com/stratatools/strata/internal/estimate/estimatetest"
	"github.com/stratatools/strata/internal/estimate/fetch"
	"github.com/stratatools/strata/internal/estimate/npm"
	"github.com/stratatools/strata/internal/estimate/pypi"
	"github.com/stratatools/strata/internal/vocab"
)

// sources are the recorded sources: a registry of fixture images and a
// mirror of the rest.
type sources struct {
	reg    string
	mirror *estimatetest.Mirror
}

func newSources(t *testing.T) sources {
	return sources{reg: estimatetest.Registry(t), mirror: estimatetest.NewMirror(t)}
}

// estimator returns an Estimator on the recorded sources; offline when
// asked, with a fresh cache folder unless cache is given.
func (s sources) estimator(t *testing.T, offline bool, cache string, timeout time.Duration) *Estimator {
	if cache == "" {
		cache = t.TempDir()
	}
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	c := &fetch.Client{HTTP: s.mirror.Client, Timeout: timeout, Offline: offline}
	fc := fetch.Cache{Dir: cache}
	return &Estimator{
		Arch:  "amd64",
		Bases: &baseimage.Resolver{Registry: !offline, Cache: fc.Sub("images"), Timeout: timeout},
		Deb:   &deb.Loader{Client: c, Cache: fc.Sub("deb")},
		Apk:   &apk.Loader{Client: c, Cache: fc.Sub("apk")},
		Npm:   &npm.Client{Fetch: c, Cache: fc.Sub("npm"), Registry: "http://" + estimatetest.NpmHost},
		PyPI:  &pypi.Client{Fetch: c, Cache: fc.Sub("pypi"), Index: "http://" + estimatetest.PyPIHost, Arch: "x86_64"},
		Web:   c,
	}
}

func caseDir(name string) string { return filepath.Join("testdata", "dockerfiles", name) }

func (s sources) run(t *testing.T, e *Estimator, name string, req Request) *Estimate {
	t.Helper()
	if req.Dockerfile == "" {
		req.Dockerfile = filepath.Join(caseDir(name), "Dockerfile")
	}
	if req.ContextDir == "" {
		req.ContextDir = caseDir(name)
	}
	if req.BuildArgs == nil {
		req.BuildArgs = map[string]string{"REG": s.reg}
	}
	est, err := e.Estimate(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return est
}

// step returns the step at line.
func step(t *testing.T, e *Estimate, line int) Step {
	t.Helper()
	for _, st := range e.Stages {
		for _, s := range st.Steps {
			if s.Line == line {
				return s
			}
		}
	}
	t.Fatalf("no step at line %d", line)
	return Step{}
}

// part returns the step's part whose description starts with prefix.
func part(t *testing.T, s Step, prefix string) Part {
	t.Helper()
	for _, p := range s.Parts {
		if strings.HasPrefix(p.What, prefix) {
			return p
		}
	}
	t.Fatalf("line %d has no part %q: %+v", s.Line, prefix, s.Parts)
	return Part{}
}

func hasPart(s Step, prefix string) bool {
	for _, p := range s.Parts {
		if strings.HasPrefix(p.What, prefix) {
			return true
		}
	}
	return false
}

func mirrorSize(t *testing.T, p string) int64 {
	dir, _ := estimatetest.Dir()
	fi, err := os.Stat(filepath.Join(dir, "mirror", filepath.FromSlash(p)))
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func debFixture(name string) estimatetest.DebPackage {
	var out estimatetest.DebPackage
	for _, p := range estimatetest.DebPackages {
		if p.Name == name {
			out = p // the last, newest suite wins
		}
	}
	return out
}

func imageFixture(name string) estimatetest.Image {
	for _, im := range estimatetest.Images() {
		if im.Name == name {
			return im
		}
	}
	panic(name)
}

func TestApt(t *testing.T) {
	s := newSources(t)
	e := s.run(t, s.estimator(t, false, "", 0), "apt", Request{})
	from := step(t, e, 2)
	if from.Size != Point(imageFixture("debian").Size()) || from.Confidence != Declared {
		t.Errorf("FROM: %+v, want the registry image's %d bytes, declared", from, imageFixture("debian").Size())
	}
	// apt-get update: the lists the Release files list, and apt's two
	// binary caches.
	var lists, pk int64
	for _, suite := range estimatetest.DebSuites {
		base := estimatetest.DebHost + "/debian/dists/" + suite + "/"
		lists += mirrorSize(t, base+"InRelease") + mirrorSize(t, base+"main/binary-amd64/Packages") + mirrorSize(t, base+"main/i18n/Translation-en")
		pk += mirrorSize(t, base+"main/binary-amd64/Packages")
	}
	up := step(t, e, 3)
	if p := part(t, up, "apt's package lists"); p.Size != Point(lists) || p.Confidence != Declared {
		t.Errorf("lists: %+v, want %d declared", p, lists)
	}
	if p := part(t, up, "apt's binary caches"); p.Size.Expected != 2*int64(float64(pk)*pkgcacheRatio) || p.Confidence != Modelled {
		t.Errorf("binary caches: %+v", p)
	}
	// apt-get install python3-flask: the closure with its recommended
	// package, .debs kept, pkgcache.bin rewritten, .pyc.
	in := step(t, e, 4)
	names := []string{"python3-flask", "python3-click", "python3", "python3.11", "libpython3.11-stdlib", "media-types", "libpython3-stdlib", "python3-jinja2", "python3-markupsafe", "python3-dotenv"}
	var inst, debs, py int64
	for _, n := range names {
		p := debFixture(n)
		inst += p.InstalledKiB * 1024
		debs += p.Size
		// py3compile runs for what depends on python3 or python3.X.
		if n != "python3.11" && n != "media-types" && n != "libpython3-stdlib" {
			py += p.InstalledKiB * 1024
		}
	}
	if p := part(t, in, "python3-flask and 9 dependencies"); p.Size.Expected != int64(float64(inst)*installedRatio) || p.Confidence != Declared {
		t.Errorf("packages: %+v, want %d (Installed-Size %d less its rounding)", p, int64(float64(inst)*installedRatio), inst)
	}
	if p := part(t, in, "downloaded .deb files"); p.Size != Point(debs) {
		t.Errorf(".debs: %+v, want %d", p, debs)
	}
	if p := part(t, in, "byte-compiled Python"); p.Size.Expected != int64(float64(py)*pycRatio) {
		t.Errorf(".pyc: %+v, want %.1f × %d", p, pycRatio, py)
	}
	if p := part(t, in, "apt's binary cache (/var/cache/apt/pkgcache.bin)"); p.Size.Expected != int64(float64(pk)*pkgcacheRatio) {
		t.Errorf("pkgcache.bin rewritten: %+v", p)
	}
	// COPY, then chown -R copies the file up again.
	cp := step(t, e, 5)
	app := int64(len("print(\"hello\")\n"))
	if cp.Size != Point(app) || cp.Confidence != Exact {
		t.Errorf("COPY: %+v", cp)
	}
	if ch := step(t, e, 6); ch.Size.Expected != app {
		t.Errorf("chown -R: %+v, want the %d bytes copied up", ch, app)
	}
	var total Range
	for _, s := range e.Shipped() {
		total = total.Add(s.Size)
	}
	if e.Image != total || e.Image.Low > e.Image.Expected || e.Image.High < e.Image.Expected || len(e.Unknown) != 0 {
		t.Errorf("image %+v, steps sum to %+v; unknown %v", e.Image, total, e.Unknown)
	}
}

// TestAptCleanLayers: one RUN that cleans up after itself leaves the
// packages only; on Docker's images apt keeps no .debs or binary caches.
func TestAptCleanLayers(t *testing.T) {
	s := newSources(t)
	e := s.estimator(t, false, "", 0)
	dir := t.TempDir()
	write := func(df string) *Estimate {
		if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644); err != nil {
			t.Fatal(err)
		}
		return s.run(t, e, "", Request{Dockerfile: filepath.Join(dir, "Dockerfile"), ContextDir: dir})
	}
	for _, c := range []struct {
		df       string
		want     []string
		dontWant []string
	}{
		{df: "ARG REG\nFROM ${REG}/fixture/debian-docker:latest\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
			want: []string{"curl and 3 dependencies", "dpkg's database"}, dontWant: []string{"apt's package lists", "apt's binary", "downloaded .deb"}},
		{df: "ARG REG\nFROM ${REG}/fixture/debian:latest\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n",
			want: []string{"curl and 1 dependency", "apt's binary caches", "downloaded .deb"}, dontWant: []string{"apt's package lists"}},
		{df: "ARG REG\nFROM ${REG}/fixture/debian:latest\nRUN apt-get update && apt-get install -y curl && apt-get clean && rm -rf /var/lib/apt/lists/*\n",
			want: []string{"curl and 3"}, dontWant: []string{"apt's package lists", "apt's binary", "downloaded .deb"}},
		{df: "ARG REG\nFROM ${REG}/fixture/debian:latest\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl\n",
			want: []string{"curl and 3"}, dontWant: []string{"apt's package lists", "apt's binary", "downloaded .deb"}},
		{df: "ARG REG\nFROM ${REG}/fixture/debian:latest\nRUN apt-get update && apt-get install -y mailx nosuchpackage && apt-get purge -y mailx\n",
			want: []string{"exim4-daemon-light", "apt's package lists"}, dontWant: []string{"mailx"}},
		{df: "ARG REG\nFROM ${REG}/fixture/debian:latest\nRUN apt-get update && apt-get upgrade -y\n",
			want: []string{"libssl3", "downloaded .deb"}},
		// The official images' pattern: build dependencies installed,
		// used and auto-removed in one RUN; the libraries kept are found
		// at build time.
		{df: "ARG REG\nFROM ${REG}/fixture/debian-docker:latest\nRUN savedAptMark=\"$(apt-mark showmanual)\"; apt-get update; apt-get install -y --no-install-recommends gcc make; make --version; apt-mark auto '.*' > /dev/null; apt-mark manual $savedAptMark; apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; rm -rf /var/lib/apt/lists/*\n",
			want: []string{"packages apt-mark keeps", "dpkg's database"}, dontWant: []string{"gcc", "downloaded .deb", "apt's"}},
		// On a base without docker-clean the .debs stay after the purge.
		{df: "ARG REG\nFROM ${REG}/fixture/debian:latest\nRUN apt-get update && apt-get install -y curl && apt-get purge -y --auto-remove curl && rm -rf /var/lib/apt/lists/*\n",
			want: []string{"downloaded .deb"}, dontWant: []string{"curl", "libcurl4"}},
		// A download unpacked and removed in the same RUN leaves nothing.
		{df: "ARG REG\nFROM ${REG}/fixture/debian-docker:latest\nRUN curl -fsSL -o /tmp/t.tgz http://files.test/tool-1.0.tar.gz && mkdir /opt/tool && tar -xzf /tmp/t.tgz -C /opt/tool && rm -rf /tmp/t.tgz /opt/tool\n",
			want: []string{"curl download /tmp/t.tgz", "files tar extracts into /opt/tool"}},
	} {
		est := write(c.df)
		st := step(t, est, 3)
		if strings.Contains(c.df, "/opt/tool") && st.Size.Expected > 1000 {
			t.Errorf("a download removed in its RUN weighs %+v", st.Size)
		}
		for _, w := range c.want {
			if !hasPart(st, w) {
				t.Errorf("%q: no part %q in %+v", c.df, w, st.Parts)
			}
		}
		for _, w := range c.dontWant {
			if hasPart(st, w) {
				t.Errorf("%q: a part %q: %+v", c.df, w, st.Parts)
			}
		}
		if strings.Contains(c.df, "nosuchpackage") && !strings.Contains(strings.Join(est.Unknown, " "), "nosuchpackage is not in the package index") {
			t.Errorf("a missing package is not reported: %v", est.Unknown)
		}
	}
}

func TestGoMultiStage(t *testing.T) {
	s := newSources(t)
	e := s.run(t, s.estimator(t, false, "", 0), "goapp", Request{})
	if len(e.Stages) != 2 || e.Stages[0].Ships || !e.Stages[1].Ships {
		t.Fatalf("stages %+v", e.Stages)
	}
	if e.LeftBehind != e.Stages[0].Size || e.LeftBehind.Expected < imageFixture("debian").Size() {
		t.Errorf("left behind %+v, the build stage is %+v", e.LeftBehind, e.Stages[0].Size)
	}
	cp := step(t, e, 9)
	// main.go imports net/http: a Go HTTP program's size, a guess.
	if cp.Size.Expected != goHTTP || cp.Confidence != Guessed || cp.Size.Low >= goHTTP || cp.Size.High <= goHTTP {
		t.Errorf("COPY --from=build: %+v", cp)
	}
	if e.Image != cp.Size || e.Confidence != Guessed {
		t.Errorf("image %+v (%s), want the program's guess", e.Image, e.Confidence)
	}
	build := step(t, e, 6)
	if !hasPart(build, "Go's build cache") {
		t.Errorf("go build without a cache mount keeps no build cache: %+v", build.Parts)
	}
	if !strings.Contains(strings.Join(e.Unknown, "\n"), "line 6: the size of the program go build writes is guessed") {
		t.Errorf("the guess is not said: %v", e.Unknown)
	}
}

func TestCStatic(t *testing.T) {
	s := newSources(t)
	e := s.run(t, s.estimator(t, false, "", 0), "capp", Request{})
	hello := int64(len("#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n"))
	if e.Image.Expected != cStatic+hello || e.Confidence != Guessed {
		t.Errorf("image %+v %s, want a static program of %d", e.Image, e.Confidence, cStatic+hello)
	}
	// On Docker's Debian no lists, .debs or binary caches are left.
	for _, p := range step(t, e, 3).Parts {
		if strings.HasPrefix(p.What, "apt") || strings.HasPrefix(p.What, "downloaded") {
			t.Errorf("a cache is left on debian-docker: %+v", p)
		}
	}
}

func TestNpm(t *testing.T) {
	s := newSources(t)
	e := s.run(t, s.estimator(t, false, "", 0), "nodeapp", Request{})
	ci := step(t, e, 6)
	lock, err := os.ReadFile(filepath.Join(caseDir("nodeapp"), "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	var un int64
	for _, p := range estimatetest.NpmPackages {
		if (p.Name == "express" && p.Version == "4.18.2") || p.Name == "debug" || p.Name == "ms" || p.Name == "cookie" {
			for _, n := range p.Files {
				un += int64(n)
			}
		}
	}
	nm := part(t, ci, "node_modules (4 packages)")
	if nm.Size.Expected != un+int64(len(lock)) || nm.Confidence != Declared {
		t.Errorf("node_modules: %+v, want %d (no dev package with NODE_ENV=production)", nm, un+int64(len(lock)))
	}
	cache := part(t, ci, "npm's cache")
	if cache.Size.Expected <= 0 || cache.Confidence != Modelled {
		t.Errorf("npm cache: %+v", cache)
	}
	if b := step(t, e, 8); b.Confidence != Guessed {
		t.Errorf("npm run build: %+v", b)
	}
}

func TestPip(t *testing.T) {
	s := newSources(t)
	e := s.run(t, s.estimator(t, false, "", 0), "pyapp", Request{})
	pip := step(t, e, 5)
	var un, src int64
	for _, p := range estimatetest.PyPIProjects {
		if p.Wheel == "" {
			continue
		}
		for n, sz := range p.Files {
			un += int64(sz)
			if strings.HasSuffix(n, ".py") {
				src += int64(sz)
			}
		}
	}
	if p := pip.Parts[0]; p.Size.Expected != un || p.Confidence != Declared || !strings.Contains(p.What, "markupsafe 2.1.3") {
		t.Errorf("pip packages: %+v, want %d from the cp311 wheels", p, un)
	}
	if p := part(t, pip, "byte-compiled"); p.Size.Expected != int64(float64(src)*pipPycRatio) {
		t.Errorf(".pyc: %+v", p)
	}
	if !hasPart(pip, "pip's cache") {
		t.Error("pip without --no-cache-dir keeps its cache")
	}
	if hasPart(step(t, e, 6), "pip's cache") {
		t.Error("--no-cache-dir keeps a cache")
	}
}

func TestApk(t *testing.T) {
	s := newSources(t)
	e := s.run(t, s.estimator(t, false, "", 0), "alpine", Request{})
	add := step(t, e, 3)
	var inst int64
	for _, p := range estimatetest.ApkPackages {
		if p.Name == "curl" || p.Name == "libcurl" || p.Name == "zlib" {
			inst += p.Installed
		}
	}
	if p := part(t, add, "curl and 2 dependencies"); p.Size.Expected != inst {
		t.Errorf("apk add curl: %+v, want %d", p, inst)
	}
	if p := part(t, add, "apk's index cache"); p.Size != Point(mirrorSize(t, estimatetest.ApkHost+"/alpine/v3/main/x86_64/APKINDEX.tar.gz")) {
		t.Errorf("index cache: %+v", p)
	}
	virt := step(t, e, 4)
	if hasPart(virt, "build-base") || hasPart(virt, "apk's index cache") {
		t.Errorf("a virtual package added and deleted in one RUN leaves something: %+v", virt.Parts)
	}
}

func TestDownloads(t *testing.T) {
	s := newSources(t)
	e := s.run(t, s.estimator(t, false, "", 0), "download", Request{})
	if a := step(t, e, 3); a.Size != Point(mirrorSize(t, estimatetest.FilesHost+"/data.bin")) || a.Confidence != Declared {
		t.Errorf("ADD URL: %+v", a)
	}
	tgz := mirrorSize(t, estimatetest.FilesHost+"/tool-1.0.tar.gz")
	if c := step(t, e, 4); c.Size.Expected != 3*tgz || c.Confidence != Guessed {
		t.Errorf("curl | tar: %+v", c)
	}
	if c := step(t, e, 5); c.Confidence != Unknown || c.Size.High < 100e6 {
		t.Errorf("curl | sh: %+v", c)
	}
	if e.Confidence != Unknown {
		t.Errorf("an estimate with an unknown part is %s", e.Confidence)
	}
}

func TestContextAndIgnore(t *testing.T) {
	s := newSources(t)
	est := s.estimator(t, false, "", 0)
	e := s.run(t, est, "ignore", Request{})
	// .dockerignore leaves out ignored/ and *.log.
	want := int64(len("FROM scratch\nCOPY . /ctx/\nCOPY keep.txt /keep/renamed.txt\n") + len("ignored/\n*.log\n") + len("keep me\n") + 1)
	if c := step(t, e, 2); c.Size != Point(want) {
		t.Errorf("COPY . after .dockerignore: %+v, want %d", c, want)
	}
	// The ignore file a fix creates stands in for the context's.
	e = s.run(t, est, "ignore", Request{Ignore: []byte("*\n!keep.txt\n")})
	if c := step(t, e, 2); c.Size != Point(int64(len("keep me\n"))) {
		t.Errorf("COPY . with another ignore file: %+v", c)
	}
	if c := step(t, e, 3); c.Size != Point(int64(len("keep me\n"))) {
		t.Errorf("COPY keep.txt: %+v", c)
	}
}

// TestOffline: nothing reachable and nothing cached: the base is a
// guess from its name, the packages unknown, and the notes say so; the
// cache filled by an online run answers the same question offline.
func TestOffline(t *testing.T) {
	s := newSources(t)
	e := s.run(t, s.estimator(t, true, "", 0), "apt", Request{})
	if e.Confidence.Sure() || len(e.Unknown) == 0 {
		t.Fatalf("offline: %s, unknown %v", e.Confidence, e.Unknown)
	}
	if from := step(t, e, 2); from.Confidence != Guessed {
		t.Errorf("offline base: %+v", from)
	}
	if in := step(t, e, 4); in.Confidence != Unknown {
		t.Errorf("offline install: %+v", in)
	}
	joined := strings.Join(e.Unknown, "\n")
	for _, w := range []string{"python3-flask", "offline"} {
		if !strings.Contains(joined, w) {
			t.Errorf("the unknown parts do not say %q:\n%s", w, joined)
		}
	}
	cache := t.TempDir()
	online := s.run(t, s.estimator(t, false, cache, 0), "apt", Request{})
	off := s.run(t, s.estimator(t, true, cache, 0), "apt", Request{})
	if off.Image != online.Image || len(off.Unknown) != 0 {
		t.Errorf("offline from the cache: %+v (unknown %v), online %+v", off.Image, off.Unknown, online.Image)
	}
}

// TestHangingSources: sources that never answer cost their timeouts.
func TestHangingSources(t *testing.T) {
	s := newSources(t)
	for _, h := range []string{estimatetest.DebHost, estimatetest.NpmHost, estimatetest.FilesHost} {
		s.mirror.Hang(h, true)
	}
	start := time.Now()
	est := s.estimator(t, false, "", 300*time.Millisecond)
	for _, c := range []string{"apt", "nodeapp", "download"} {
		e := s.run(t, est, c, Request{})
		if e.Confidence.Sure() || len(e.Unknown) == 0 {
			t.Errorf("%s with hanging sources: %s %v", c, e.Confidence, e.Unknown)
		}
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("hanging sources took %v", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := est.Estimate(ctx, Request{Dockerfile: filepath.Join(caseDir("apt"), "Dockerfile"), ContextDir: caseDir("apt"), BuildArgs: map[string]string{"REG": s.reg}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled estimate: %v", err)
	}
}

func TestBaseSize(t *testing.T) {
	s := newSources(t)
	est := s.estimator(t, true, "", 0)
	e := s.run(t, est, "apt", Request{BaseSizes: map[string]int64{"": 50e6}})
	if from := step(t, e, 2); from.Size != Point(50e6) || from.Confidence != Declared {
		t.Errorf("--base-size: %+v", from)
	}
	e = s.run(t, est, "apt", Request{BaseSizes: map[string]int64{s.reg + "/fixture/debian:latest": 60e6}})
	if from := step(t, e, 2); from.Size != Point(60e6) {
		t.Errorf("--base-size REF=: %+v", from)
	}
}

func TestBadInput(t *testing.T) {
	s := newSources(t)
	est := s.estimator(t, true, "", 0)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\nCOPY --from=nosuch /a /b\nRUN <<EOF\n"), 0o644)
	_, err := est.Estimate(context.Background(), Request{Dockerfile: filepath.Join(dir, "Dockerfile"), ContextDir: dir})
	if !vocab.IsInput(err) || !strings.Contains(err.Error(), "Dockerfile") {
		t.Errorf("a Dockerfile that does not parse: %v", err)
	}
	_, err = est.Estimate(context.Background(), Request{Dockerfile: filepath.Join(dir, "missing"), ContextDir: dir})
	if !vocab.IsInput(err) {
		t.Errorf("a missing Dockerfile: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\nCOPY . /\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("[\n"), 0o644)
	_, err = est.Estimate(context.Background(), Request{Dockerfile: filepath.Join(dir, "Dockerfile"), ContextDir: dir})
	if !vocab.IsInput(err) || !strings.Contains(err.Error(), ".dockerignore") {
		t.Errorf("a bad .dockerignore: %v", err)
	}
}

// TestTarget: --target estimates the named stage's image.
func TestTarget(t *testing.T) {
	s := newSources(t)
	e := s.run(t, s.estimator(t, false, "", 0), "goapp", Request{Target: "build"})
	if len(e.Stages) != 1 || !e.Stages[0].Ships || e.Image != e.Stages[0].Size || e.LeftBehind != (Range{}) {
		t.Errorf("--target build: %+v", e.Stages)
	}
	if e.Image.Expected < imageFixture("debian").Size()+(230000+90000)*1024 {
		t.Errorf("the build stage holds Go: %+v", e.Image)
	}
}

// TestCopyFromBaseFiles: COPY --from of what the stage's base image
// holds takes the base's folder sizes.
func TestCopyFromBaseFiles(t *testing.T) {
	s := newSources(t)
	dir := t.TempDir()
	df := "ARG REG\nFROM ${REG}/fixture/debian:latest AS base\nRUN true\nFROM scratch\nCOPY --from=base /usr/bin/bash /bin/bash\nCOPY --from=base /usr /usr\nCOPY --from=base /nowhere /x\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644); err != nil {
		t.Fatal(err)
	}
	e := s.run(t, s.estimator(t, false, "", 0), "", Request{Dockerfile: filepath.Join(dir, "Dockerfile"), ContextDir: dir})
	if c := step(t, e, 5); c.Size.Expected != 1_200_000 || c.Confidence != Modelled {
		t.Errorf("COPY --from the base's bash: %+v", c)
	}
	if c := step(t, e, 6); c.Size.Expected != 3_200_000 {
		t.Errorf("COPY --from the base's /usr: %+v", c)
	}
	if c := step(t, e, 7); c.Confidence != Unknown {
		t.Errorf("COPY --from a path nothing knows: %+v", c)
	}
}

// TestVenv: a virtualenv and the local project pip builds into it are
// what a COPY --from of the virtualenv takes.
func TestVenv(t *testing.T) {
	s := newSources(t)
	e := s.run(t, s.estimator(t, false, "", 0), "venv", Request{})
	run := step(t, e, 6)
	venv := part(t, run, "a virtualenv with pip (/opt/venv)")
	local := part(t, run, "the local project ./proj (pip)")
	src := int64(len("from setuptools import setup\nsetup(name=\"proj\", version=\"1.0\")\n") + len("#include <Python.h>\nstatic PyObject *hello(PyObject *s, PyObject *a) { Py_RETURN_NONE; }\n"))
	if local.Size.Expected != 2*src+50_000 || local.Confidence != Guessed {
		t.Errorf("local project: %+v, want twice its %d bytes of sources", local, src)
	}
	cp := step(t, e, 9)
	if cp.Size != venv.Size.Add(local.Size) || cp.Confidence != Guessed {
		t.Errorf("COPY --from=build /opt/venv: %+v, want the virtualenv and the project", cp)
	}
	joined := strings.Join(e.Unknown, "\n")
	if !strings.Contains(joined, "virtualenv") || !strings.Contains(joined, "./proj") {
		t.Errorf("the guesses are not said: %s", joined)
	}
}
