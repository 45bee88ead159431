package image

import (
	"regexp"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

var checklistKeys = map[string]bool{
	"base_image.lightweight": true, "base_image.pinned": true, "layers.minimal_run": true,
	"layers.cache_dependencies": true, "context.dockerignore": true, "size.clean_caches": true,
	"size.same_layer_cleanup": true, "size.minimal_packages": true, "size.multi_stage": true,
	"security.non_root": true, "security.no_secrets": true, "security.minimal_runtime": true,
	"performance.exec_form": true, "performance.init_system": true, "performance.healthcheck": true,
	"build.cache_mounts": true,
}

func TestRuleMetadata(t *testing.T) {
	id := regexp.MustCompile(`^SI\d{3}$`)
	seen := map[string]bool{}
	for _, r := range DefaultRules() {
		if !id.MatchString(r.ID) || seen[r.ID] || seen[r.Name] {
			t.Errorf("bad or duplicate rule %q %q", r.ID, r.Name)
		}
		seen[r.ID], seen[r.Name] = true, true
		if severityRank(r.Severity) == 0 || !checklistKeys[r.Checklist] || r.Check == nil || r.Doc.Summary == "" || r.Doc.Why == "" {
			t.Errorf("%s: incomplete metadata %+v", r.ID, r)
		}
		switch r.Category {
		case CategorySize, CategoryCache, CategorySecurity, CategoryCorrectness, CategoryPerformance, CategoryStyle:
		default:
			t.Errorf("%s: category %q", r.ID, r.Category)
		}
	}
	if r, ok := FindRule("apt-lists"); !ok || r.ID != "SI010" {
		t.Errorf("FindRule = %+v %v", r, ok)
	}
}

// ruleImage has one occurrence of most findings, all in user layers.
func ruleImage(t *testing.T, cfg func(*v1.Config)) *Result {
	t.Helper()
	img := buildImage(t, []step{
		{createdBy: "ADD rootfs", entries: []tentry{dir("usr/"), dir("usr/bin/"), withMode(file("usr/bin/passwd", "elf"), 0o4755), dir("tmp/")}},
		{createdBy: `/bin/sh -c #(nop)  CMD ["bash"]`},
		{createdBy: "RUN apt-get update && apt-get install -y gcc", entries: []tentry{
			blob("var/lib/apt/lists/deb.debian.org_dists_bookworm_main_Packages", 2*mb, 1),
			file("var/lib/apt/lists/lock", ""),
			blob("var/cache/apt/archives/gcc_12.deb", mb, 2),
			blob("var/cache/apt/pkgcache.bin", mb, 3),
			blob("usr/lib/gcc/x86_64-linux-gnu/12/cc1", 3*mb, 4),
			withMode(dir("tmp/"), 0o1777),
		}},
		{createdBy: "RUN pip install flask", entries: []tentry{blob("root/.cache/pip/http/x", mb, 5), blob("root/.npm/_cacache/y", mb, 6)}},
		{createdBy: "COPY . /app", entries: []tentry{
			dir("app/"), file("app/.git/HEAD", "ref: refs/heads/main\n"), file("app/.git/config", "[core]"),
			file("app/.env", "DB_PASSWORD=hunter2\n"),
			file("app/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nxx\n-----END OPENSSH PRIVATE KEY-----\n"),
			file("app/.npmrc", "//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n"),
			file("app/cert.pem", "-----BEGIN CERTIFICATE-----\n"),
			withMode(file("app/data.txt", "x"), 0o666),
			dir("app/node_modules/.cache/babel/"), blob("app/node_modules/.cache/babel/c", mb, 7),
			dir("usr/lib/jvm/java-17/bin/"), blob("usr/lib/jvm/java-17/bin/javac", mb, 8),
		}},
		{createdBy: "RUN rm /app/id_rsa", entries: []tentry{whiteout("app/id_rsa")}},
	}, cfg)
	return mustAnalyze(t, img, Options{})
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
	img := buildImage(t, []step{
		{createdBy: "ADD rootfs", entries: []tentry{dir("etc/"), file("etc/passwd", "root:x:0:0")}},
		{createdBy: "COPY app /app", entries: []tentry{dir("app/"), blob("app/server", mb, 1)}},
	}, func(c *v1.Config) {
		c.User = "10001"
		c.Healthcheck = &v1.HealthConfig{Test: []string{"CMD", "/app/server", "-health"}}
	})
	r := mustAnalyze(t, img, Options{})
	if len(r.Findings) != 0 {
		t.Fatalf("findings on a clean image: %+v", r.Findings)
	}
}

func TestHitsAreCapped(t *testing.T) {
	var entries []tentry
	for i := 0; i < 50; i++ {
		entries = append(entries, withMode(file("pub/f"+string(rune('a'+i%26))+string(rune('a'+i/26)), "x"), 0o666))
	}
	img := buildImage(t, []step{{createdBy: "COPY pub /pub", entries: entries}}, nil)
	r := mustAnalyze(t, img, Options{})
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

func TestMatcher(t *testing.T) {
	m, err := NewMatcher([]string{"/var/cache/", "*.log", "opt/**/tmp", "usr/share/doc/*"})
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{
		"var/cache":              true,
		"var/cache/apt/x":        true,
		"var/cached":             false,
		"a/b/c.log":              true,
		"c.log":                  true,
		"opt/tmp":                true,
		"opt/a/b/tmp/x":          true,
		"opt/a/b/tmpx":           false,
		"usr/share/doc/pkg/copy": true,
		"usr/share/man/x":        false,
	} {
		if got := m.Match(p); got != want {
			t.Errorf("Match(%q) = %v, want %v", p, got, want)
		}
	}
	if _, err := NewMatcher([]string{"a/[b"}); err == nil {
		t.Error("malformed pattern accepted")
	}
	var nilM *Matcher
	if nilM.Match("x") || !nilM.Empty() {
		t.Error("nil matcher matched")
	}
}
