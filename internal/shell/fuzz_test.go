package shell

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

var fuzzSeeds = []string{
	"apt-get update && apt-get install -y --no-install-recommends curl=7.* && rm -rf /var/lib/apt/lists/*",
	"set -euxo pipefail; curl -fsSL https://x | tar -xz -C /opt",
	"apk add --no-cache --virtual .build-deps gcc musl-dev && pip install --no-cache-dir -r req.txt && apk del .build-deps",
	"sudo -E env X=1 nice -n5 timeout 10 xargs -r apt-get install -qy",
	"python3 -m pip install 'flask[async]>=2,<3' && npm i -g @scope/pkg@1 && gem install rails -v 7",
	"if [ -f x ]; then (cd /a && make); else { b; c; } | d; fi & wait",
	"for p in $(cat f); do yum install -y \"$p\"; done; yum clean all",
	"cat <<EOF > /x\n$(date)\nEOF\nfind /var/cache -type f -delete",
	"export PIP_NO_CACHE_DIR=1 A=(1 2); declare -x B=2; let i=1+2; [[ -f x ]] && (( i++ ))",
	"f() { rm -rf ~/.cache/{pip,npm}; }; f; coproc x { y; }; time -p z",
	"go install -ldflags='-s -w' x@v1 && go clean -modcache; zypper -n in -t pattern x; dnf -y module install n:18",
	`echo "unterminated`,
	"a && (b",
	"case $x in a|b) echo ;; *) : ;; esac",
	"echo $'\\x41' \"${a:-$(b)}\" <(c) >(d) 2>&1 |& e",
	"cd / && cd .. && cd - && cd && rm -rf x",
	"sudo",
	"env -S 'a b' c",
	"",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	caches := []Cache{CacheAptLists, CacheAptArchives, CacheApk, CacheYum, CacheDnf, CacheZypper, CacheNpm,
		CacheYarn, CachePip, CacheGem, CacheComposer, CacheGo}
	f.Fuzz(func(t *testing.T, src string) {
		fields := strings.Fields(src)
		IsPOSIXShell(Shebang(src))
		IsPOSIXShell(fields)
		ShellHasPipefail(fields)
		for _, lang := range []Lang{LangBash, LangPOSIX, LangMirBSDKorn} {
			s, err := Parse(src, WithLang(lang), WithWorkdir("/w"))
			// A parser that parsed another script first gives the same.
			var reused Parser
			_, _ = reused.Parse("apt-get update && apt-get install -y curl <<EOF\nx\nEOF\n", WithLang(lang))
			if s2, err2 := reused.Parse(src, WithLang(lang), WithWorkdir("/w")); !reflect.DeepEqual(s, s2) || !reflect.DeepEqual(err, err2) {
				t.Fatalf("%v: a reused parser gives %+v, %v; a new one %+v, %v", lang, s2, err2, s, err)
			}
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("error %T is not *ParseError: %v", err, err)
				}
				if pe.Offset < 0 || pe.Offset > len(src) {
					t.Fatalf("error offset %d out of range (len %d)", pe.Offset, len(src))
				}
				continue
			}
			exercise(t, s, caches)
		}
	})
}

// exercise calls every analysis helper on s and checks basic invariants.
func exercise(t *testing.T, s *Script, caches []Cache) {
	src := s.Source
	for i, c := range s.Commands {
		if c.Index != i {
			t.Fatalf("command %d has Index %d", i, c.Index)
		}
		if c.Pos.Offset < 0 || c.Pos.Offset > c.End.Offset || c.End.Offset > len(src) {
			t.Fatalf("command %q span %d..%d out of range", c.Text, c.Pos.Offset, c.End.Offset)
		}
		if c.Text != src[c.Pos.Offset:c.End.Offset] {
			t.Fatalf("command text %q != source %q", c.Text, src[c.Pos.Offset:c.End.Offset])
		}
		if len(c.Args) != len(c.ArgWords) {
			t.Fatalf("Args/ArgWords length mismatch")
		}
		if c.Pipeline >= len(s.Pipelines()) {
			t.Fatalf("pipeline index %d out of range", c.Pipeline)
		}
		c.Flags()
		c.Operands()
		c.HasFlag("-y", "--yes", "-qq", "tags")
		c.FlagCount("-q")
		c.FlagValue("-o", "--output", "-tags")
		c.FlagValues("--setopt")
		c.HasArgs("install")
		c.Env("PATH")
		c.Base()
		c.IsAssignment()
		s.RemovesPath("/var/lib/apt/lists/partial", c)
		s.RemovesPath("~/.cache/pip/*", c)
		s.Env(c, "PIP_NO_CACHE_DIR")
		for _, cache := range caches {
			s.Cleans(cache, c)
		}
	}
	for c, w := range s.Words() {
		if w.Pos.Line > 0 && w.End.Line > 0 && w.Raw != slice(src, w.Pos.Offset, w.End.Offset) {
			t.Fatalf("word %q of %q does not match source %q", w.Raw, c.Text, slice(src, w.Pos.Offset, w.End.Offset))
		}
	}
	for _, op := range s.PackageOps() {
		op.AssumesYes()
		op.NoRecommends()
		op.NoCache()
		op.IsAptInstall()
		op.HasFlag("-y")
		op.FlagValue("-o")
		op.PackageNames()
		for _, p := range op.Packages {
			if p.Word < 0 || p.Word >= len(op.Command.ArgWords) {
				t.Fatalf("package word index %d out of range", p.Word)
			}
		}
	}
	s.PackageOpsFor(ActionInstall, AptGet)
	s.Pipelines()
	s.HasPipes()
	s.HasPipefail()
	s.UsesSudo()
	s.CDs()
	s.Find("rm", "apt-get")
	s.RemovesPath("/", nil)
	s.CleansAptLists()
	s.CleansAptCache()
	s.CleansApkCache()
	s.CleansYumCache()
	s.CleansDnfCache()
	s.CleansZypperCache()
	s.CleansNpmCache()
	s.CleansYarnCache()
	s.CleansPipCache()
	s.CleansGemCache()
	s.CleansComposerCache()
	s.CleansGoCache()
}

// TestFuzzSeeds runs the fuzz body on the seeds in normal test runs.
func TestFuzzSeeds(t *testing.T) {
	for _, src := range fuzzSeeds {
		if s, err := Parse(src); err == nil {
			exercise(t, s, []Cache{CacheAptLists, CachePip})
		}
	}
}

const benchRUN = `set -eux; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates curl=7.88.1-10+deb12u5 gnupg git build-essential; \
    curl -fsSL https://deb.nodesource.com/setup_20.x | bash -; \
    apt-get install -y nodejs && npm install -g --prefix /usr/local yarn@1.22.19; \
    python3 -m pip install --no-cache-dir -r /tmp/requirements.txt 'flask[async]==3.0.0'; \
    cd /src && make -j"$(nproc)" install; \
    apt-get purge -y --auto-remove build-essential; \
    rm -rf /var/lib/apt/lists/* /tmp/* ~/.cache`

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		s, err := Parse(benchRUN)
		if err != nil {
			b.Fatal(err)
		}
		_ = s.PackageOps()
		_ = s.CleansAptLists()
	}
}

// TestLargeInputs guards against super-linear behaviour on big or deeply
// nested scripts (a 200k-letter option cluster once took minutes). The
// bound is generous: each case runs in well under a second when linear.
func TestLargeInputs(t *testing.T) {
	cases := map[string]string{
		"pipes":    strings.Repeat("a | ", 20000) + "b",
		"ands":     strings.Repeat("apt-get install -y x && ", 1500) + "rm -rf /var/lib/apt/lists/*",
		"cmdsubst": strings.Repeat("$(", 1000) + "x" + strings.Repeat(")", 1000),
		"subshell": strings.Repeat("(", 2000) + "x" + strings.Repeat(")", 2000),
		"braces":   "rm -rf " + strings.Repeat("{a,b}", 3000),
		"cluster":  "apt-get install -" + strings.Repeat("q", 200000),
		"valueopt": "apt-get install -" + strings.Repeat("o", 100000),
		"lines":    strings.Repeat("echo x\n", 20000),
		"ifs":      strings.Repeat("if a; then ", 2000) + "b" + strings.Repeat("; fi", 2000),
		"rmglobs":  "x && rm -rf " + strings.Repeat("/*", 5000),
		"setopts":  strings.Repeat("set -"+strings.Repeat("o", 1000)+" ", 100) + "| x",
	}
	for name, src := range cases {
		start := time.Now()
		if s, err := Parse(src); err == nil {
			exercise(t, s, []Cache{CacheAptLists})
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: %v", name, d)
		}
	}
}
