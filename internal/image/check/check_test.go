package check

import (
	"context"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source/archive"
	"github.com/stratatools/strata/internal/vocab"
)

var checklistKeys = map[string]bool{
	"base_image.lightweight": true, "base_image.pinned": true, "layers.minimal_run": true,
	"layers.cache_dependencies": true, "context.dockerignore": true, "size.clean_caches": true,
	"size.same_layer_cleanup": true, "size.minimal_packages": true, "size.multi_stage": true,
	"security.non_root": true, "security.no_secrets": true, "security.minimal_runtime": true,
	"performance.exec_form": true, "performance.init_system": true, "performance.healthcheck": true,
	"build.cache_mounts": true,
}

func TestValidate(t *testing.T) {
	all := All()
	if err := all.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(all) != 24 {
		t.Errorf("%d rules, want 24", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].ID >= all[i].ID {
			t.Errorf("rules out of order: %s before %s", all[i-1].ID, all[i].ID)
		}
	}
	// The checklist keys the rules may use are strata's sixteen.
	if n := len(vocab.ChecklistEntries()); n != len(checklistKeys) {
		t.Errorf("%d checklist items, want %d", n, len(checklistKeys))
	}
	for _, e := range vocab.ChecklistEntries() {
		if !checklistKeys[e.Key] {
			t.Errorf("unexpected checklist item %s", e.Key)
		}
	}
	for _, r := range all {
		if !checklistKeys[r.Checklist] {
			t.Errorf("%s: checklist item %q", r.ID, r.Checklist)
		}
	}
	if r, ok := Find("apt-lists"); !ok || r.ID != "SI010" {
		t.Errorf("Find = %+v %v", r, ok)
	}
	if r, ok := Find("SI040"); !ok || r.Name != "no-healthcheck" {
		t.Errorf("Find = %+v %v", r, ok)
	}
	if _, ok := Find("DL3008"); ok {
		t.Error("Find found a lint rule")
	}

	// Validate catches each defect.
	good := all[0]
	for name, bad := range map[string]Set{
		"duplicate ID":   {good, good},
		"bad ID":         {func() Rule { r := good; r.ID = "SX001"; return r }()},
		"no summary":     {func() Rule { r := good; r.Doc.Summary = ""; return r }()},
		"no why":         {func() Rule { r := good; r.Doc.Why = ""; return r }()},
		"no check":       {func() Rule { r := good; r.Check = nil; return r }()},
		"ignored":        {func() Rule { r := good; r.Severity = vocab.Ignore; return r }()},
		"bad category":   {func() Rule { r := good; r.Category = "speed"; return r }()},
		"bad checklist":  {func() Rule { r := good; r.Checklist = "size.everything"; return r }()},
		"no name":        {func() Rule { r := good; r.Name = ""; return r }()},
		"duplicate name": {good, func() Rule { r := good; r.ID = "SI999"; return r }()},
	} {
		if bad.Validate() == nil {
			t.Errorf("%s: Validate accepted %+v", name, bad)
		}
	}
}

// The patterns the rules compile at run time are all valid.
func TestBuiltinPatterns(t *testing.T) {
	var patterns []string
	for _, s := range cacheSpecs {
		patterns = append(patterns, s.dirs...)
	}
	for _, s := range append(append([]toolchainSpec(nil), compilerSpecs...), jdkSpecs...) {
		patterns = append(patterns, s.marker)
	}
	patterns = append(patterns, nodeModulesCache)
	for _, p := range patterns {
		if _, err := image.NewMatcher([]string{p}); err != nil {
			t.Errorf("pattern %q: %v", p, err)
		}
	}
}

const mb = imagetest.MB

// mustAnalyze analyzes an image written as an old docker save archive
// with every rule.
func mustAnalyze(t testing.TB, img v1.Image) *image.Result {
	t.Helper()
	return analyzeWith(t, img, image.Options{})
}

// analyzeWith analyzes img with opts and every rule.
func analyzeWith(t testing.TB, img v1.Image, opts image.Options) *image.Result {
	t.Helper()
	p := imagetest.WriteTemp(t, "img.tar", imagetest.DockerSaveOld(t, img, "test:latest"))
	opts.Checks = All()
	r, err := image.Analyze(context.Background(), archive.New(p, archive.Options{}), opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.CheckBalance(); err != nil {
		t.Fatal(err)
	}
	return r
}

// findingsOf returns the findings of one rule.
func findingsOf(r *image.Result, rule string) []image.Finding {
	var out []image.Finding
	for _, f := range r.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// ruleImage has one occurrence of most findings, all in user layers.
func ruleImage(t *testing.T, cfg func(*v1.Config)) *image.Result {
	t.Helper()
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "ADD rootfs", Entries: []imagetest.Entry{imagetest.Dir("usr/"), imagetest.Dir("usr/bin/"), imagetest.WithMode(imagetest.File("usr/bin/passwd", "elf"), 0o4755), imagetest.Dir("tmp/")}},
		{CreatedBy: `/bin/sh -c #(nop)  CMD ["bash"]`},
		{CreatedBy: "RUN apt-get update && apt-get install -y gcc", Entries: []imagetest.Entry{
			imagetest.Blob("var/lib/apt/lists/deb.debian.org_dists_bookworm_main_Packages", 2*mb, 1),
			imagetest.File("var/lib/apt/lists/lock", ""),
			imagetest.Blob("var/cache/apt/archives/gcc_12.deb", mb, 2),
			imagetest.Blob("var/cache/apt/pkgcache.bin", mb, 3),
			imagetest.Blob("usr/lib/gcc/x86_64-linux-gnu/12/cc1", 3*mb, 4),
			imagetest.WithMode(imagetest.Dir("tmp/"), 0o1777),
		}},
		{CreatedBy: "RUN pip install flask", Entries: []imagetest.Entry{imagetest.Blob("root/.cache/pip/http/x", mb, 5), imagetest.Blob("root/.npm/_cacache/y", mb, 6)}},
		{CreatedBy: "COPY . /app", Entries: []imagetest.Entry{
			imagetest.Dir("app/"), imagetest.File("app/.git/HEAD", "ref: refs/heads/main\n"), imagetest.File("app/.git/config", "[core]"),
			imagetest.File("app/.env", "DB_PASSWORD=hunter2\n"),
			imagetest.File("app/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nxx\n-----END OPENSSH PRIVATE KEY-----\n"),
			imagetest.File("app/.npmrc", "//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n"),
			imagetest.File("app/cert.pem", "-----BEGIN CERTIFICATE-----\n"),
			imagetest.WithMode(imagetest.File("app/data.txt", "x"), 0o666),
			imagetest.Dir("app/node_modules/.cache/babel/"), imagetest.Blob("app/node_modules/.cache/babel/c", mb, 7),
			imagetest.Dir("usr/lib/jvm/java-17/bin/"), imagetest.Blob("usr/lib/jvm/java-17/bin/javac", mb, 8),
		}},
		{CreatedBy: "RUN rm /app/id_rsa", Entries: []imagetest.Entry{imagetest.Whiteout("app/id_rsa")}},
	}, cfg)
	return mustAnalyze(t, img)
}

func TestRulesFire(t *testing.T) {
	r := ruleImage(t, func(c *v1.Config) {
		c.Env = []string{"PATH=/usr/bin", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY", "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D", "API_TOKEN_FILE=/run/secrets/t", "GH=ghp_abcdefghijklmnopqrstuvwxyz0123456789"}
	})
	want := map[string]int{
		"SI010": 1, "SI011": 1, "SI014": 1, "SI015": 1, "SI020": 1, "SI021": 1, "SI022": 1,
		"SI030": 1, "SI031": 1, "SI032": 1, "SI034": 2, "SI035": 1, "SI040": 1,
	}
	for id, n := range want {
		if got := findingsOf(r, id); len(got) != n {
			t.Errorf("%s: %d findings, want %d: %+v", id, len(got), n, got)
		}
	}
	for _, id := range []string{"SI012", "SI013", "SI016", "SI017"} {
		if got := findingsOf(r, id); len(got) != 0 {
			t.Errorf("%s fired: %+v", id, got)
		}
	}
	apt := findingsOf(r, "SI010")[0]
	if apt.Layer != 2 || apt.Bytes != 2*mb || apt.Path != "var/lib/apt/lists" || !strings.Contains(apt.Message, "1 files") {
		t.Errorf("SI010 = %+v (the lock file is not cache content)", apt)
	}
	if f := findingsOf(r, "SI020")[0]; f.Path != "usr/lib/gcc/x86_64-linux-gnu/12" || f.Bytes != 3*mb {
		t.Errorf("SI020 = %+v", f)
	}
	if f := findingsOf(r, "SI021")[0]; f.Path != "usr/lib/jvm/java-17" {
		t.Errorf("SI021 = %+v", f)
	}
	secrets := findingsOf(r, "SI033")
	var key, env, npmrc bool
	for _, f := range secrets {
		switch f.Path {
		case "app/id_rsa":
			key = strings.Contains(f.Message, "hidden by a later layer but still stored")
		case "app/.env":
			env = strings.Contains(f.Message, "in the final filesystem")
		case "app/.npmrc":
			npmrc = true
		case "app/cert.pem":
			t.Errorf("a certificate is not a secret: %+v", f)
		}
	}
	if !key || !env || !npmrc || len(secrets) != 3 {
		t.Errorf("SI033 = %+v", secrets)
	}
	for _, f := range findingsOf(r, "SI034") {
		if strings.Contains(f.Message, "GPG_KEY") || strings.Contains(f.Message, "API_TOKEN_FILE") {
			t.Errorf("benign variable reported: %s", f.Message)
		}
	}
	if ww := findingsOf(r, "SI032"); ww[0].Path != "app/data.txt" {
		t.Errorf("SI032 = %+v (sticky /tmp is fine)", ww)
	}
	if s := findingsOf(r, "SI031"); s[0].Path != "usr/bin/passwd" || s[0].Layer != 1 {
		t.Errorf("SI031 = %+v", s)
	}
}

func TestRulesQuietOnCleanImage(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "ADD rootfs", Entries: []imagetest.Entry{imagetest.Dir("etc/"), imagetest.File("etc/passwd", "root:x:0:0")}},
		{CreatedBy: "COPY app /app", Entries: []imagetest.Entry{imagetest.Dir("app/"), imagetest.Blob("app/server", mb, 1)}},
	}, func(c *v1.Config) {
		c.User = "10001"
		c.Healthcheck = &v1.HealthConfig{Test: []string{"CMD", "/app/server", "-health"}}
	})
	r := mustAnalyze(t, img)
	if len(r.Findings) != 0 {
		t.Fatalf("findings on a clean image: %+v", r.Findings)
	}
}

func TestHitsAreCapped(t *testing.T) {
	var entries []imagetest.Entry
	for i := 0; i < 50; i++ {
		entries = append(entries, imagetest.WithMode(imagetest.File("pub/f"+string(rune('a'+i%26))+string(rune('a'+i/26)), "x"), 0o666))
	}
	img := imagetest.Image(t, []imagetest.Step{{CreatedBy: "COPY pub /pub", Entries: entries}}, nil)
	r := mustAnalyze(t, img)
	got := findingsOf(r, "SI032")
	if len(got) != maxHitsPerRule+1 || !strings.Contains(got[len(got)-1].Message, "30 more") {
		t.Fatalf("%d findings, last %+v", len(got), got[len(got)-1])
	}
}

func TestRootUser(t *testing.T) {
	for u, root := range map[string]bool{"": true, "root": true, "0": true, "0:0": true, "root:app": true, "app": false, "1000:1000": false, "nobody": false} {
		if rootUser(u) != root {
			t.Errorf("rootUser(%q) = %v", u, !root)
		}
	}
}
