package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/fix/plan"
	"github.com/stratatools/strata/internal/intent"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// SD701 suggests BuildKit cache mounts for dependency installs that
// re-run whenever the files copied before them change.
var SD701 = &Rule{
	ID:        "SD701",
	Name:      "cache-mount",
	Severity:  vocab.Info,
	Category:  vocab.Cache,
	Checklist: vocab.BuildCacheMounts,
	Doc: Doc{
		Summary: "A dependency install that re-runs when copied files change would gain from a BuildKit cache mount.",
		Why: "When the layer cache misses, a package manager downloads everything again. " +
			"`RUN --mount=type=cache,target=<dir>` keeps the manager's download cache between " +
			"builds, outside the image: the next install only fetches what changed, and the " +
			"cache never lands in a layer. Suggesting it on every install would be noise, so the " +
			"rule only looks at installs that follow a COPY or ADD from the build context in the " +
			"same stage chain: those re-run whenever the copied manifest (or, worse, any source " +
			"file) changes, which is exactly when a warm cache pays. Installs above every COPY " +
			"(or below a COPY of a file that rarely changes: a notice, a helper script) are " +
			"cached by their layer and rarely re-run. Generated official images (which keep to " +
			"the classic builder) and devcontainers are not judged. Each suggestion names the directory " +
			"to mount for the tool (as root): apt /var/cache/apt and /var/lib/apt with " +
			"sharing=locked, apk /var/cache/apk, pip /root/.cache/pip, npm /root/.npm, yarn " +
			"/usr/local/share/.cache/yarn, pnpm /root/.local/share/pnpm/store, Go /go/pkg/mod " +
			"and /root/.cache/go-build, Maven /root/.m2, Gradle /root/.gradle, Cargo " +
			"/usr/local/cargo/registry, NuGet /root/.nuget/packages. BuildKit is Docker's " +
			"default builder. The unsafe fix adds the mounts to the RUN (not for pip, apt and " +
			"apk, where DL3042, DL3009 and DL3019 ask to switch the cache off instead): files " +
			"the install leaves in those directories are no longer in the image, so the fix is " +
			"not offered when a later RUN, or a stage built on this one that runs the tool when " +
			"it starts, reads them (go build after go mod download, cargo run --offline after " +
			"cargo fetch).",
		Bad:  "COPY requirements.txt .\nRUN pip install -r requirements.txt",
		Good: "COPY requirements.txt .\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt",
	},
	Check: func(p *Pass) error {
		img := imageOf(p)
		if img.Generated || img.Is(intent.RoleDevcontainer|intent.RoleTemplate) {
			// Generated official images keep to the classic builder's
			// syntax; a development environment is rebuilt rarely.
			return nil
		}
		toolchain := img.Is(intent.RoleToolchain)
		sdSequences(p.File, func(st *dockerfile.Stage, seq []sdItem, own func(sdItem) bool) {
			if toolchain && len(seq) > 0 && seq[0].in == seq[0].outer && p.File.Inherited(st) {
				// A toolchain or code generator image: what its installs
				// leave in the caches (Go modules) is what its users run
				// the tools against. ONBUILD triggers run in the
				// children's builds and are judged.
				return
			}
			copied := 0
			for _, it := range seq {
				if fromContext(it.in) {
					if copied == 0 && copiesInputs(p.Context, it.in) {
						copied = it.in.StartLine
					}
					continue
				}
				if it.in.Cmd != "run" || copied == 0 || !own(it) {
					continue
				}
				var tools, mounts, drops []string
				seen := map[string]bool{}
				seenDir := map[string]bool{}
				for _, cm := range cacheMountsFor(p, it) {
					var missing []string
					for _, d := range cm.dirs {
						if !hasCacheMount(it.in, d) && !mountLike(it.in, cacheDirFrag[d]) && !seenDir[d] {
							seenDir[d] = true
							missing = append(missing, d)
						}
					}
					if seen[cm.tool] {
						for _, d := range missing {
							mounts = append(mounts, "--mount=type=cache,target="+d)
						}
						continue
					}
					seen[cm.tool] = true
					if len(missing) == 0 {
						continue
					}
					tools = append(tools, cm.tool)
					if cm.drop != "" {
						drops = append(drops, cm.drop)
					}
					for _, d := range missing {
						m := "--mount=type=cache,target=" + d
						if cm.locked {
							m += ",sharing=locked"
						}
						mounts = append(mounts, m)
					}
				}
				if len(tools) == 0 {
					continue
				}
				note := ""
				if seen["apt-get"] || seen["apt"] {
					note = " (and remove /etc/apt/apt.conf.d/docker-clean so apt keeps its downloads)"
				}
				if len(drops) > 0 {
					note += " (and drop " + vocab.JoinAnd(drops) + ", which turns the cache off)"
				}
				user := ""
				if u := userAt(it.in); u != "" && !dockerfile.IsRootUser(u) {
					user = fmt.Sprintf(" (USER %s: use its home directory and add uid=)", u)
				}
				// No fix where a DL rule asks for the opposite (pip
				// --no-cache-dir, apk --no-cache, deleting the apt
				// lists): the two fixes together would leave the mount
				// empty.
				// Nor where the RUN empties a cache it would mount:
				// the mount would be emptied on every build.
				cleaned := cleanedCaches(p, it, tools)
				if len(cleaned) > 0 {
					note += " (and drop the clean-up of " + vocab.JoinAnd(cleaned) + ", which empties the mount)"
				}
				var fix *edit.Fix
				switch {
				case len(drops) > 0:
					fix = edit.Decline("the RUN turns the cache off (" + vocab.JoinAnd(drops) + "): the mount would stay empty")
				case len(cleaned) > 0:
					fix = edit.Decline("the RUN empties the cache it would mount")
				case seen["pip"]:
					fix = edit.Decline("pip's cache: DL3042 asks for --no-cache-dir instead, which would leave a mount empty")
				case seen["apt-get"] || seen["apt"] || seen["apk"]:
					fix = edit.Decline("apt's and apk's caches: DL3009 and DL3019 ask to delete them instead, and apt keeps nothing in a mount until docker-clean is removed")
				case usedLater(p, it, tools):
					fix = edit.Decline("a later instruction uses the cache directory, which a mount would hide")
				default:
					fix = plan.CacheMounts(planInput{p}, it.outer, mounts)
				}
				p.ReportFix(it.outer, fix,
					"%s%s re-runs whenever the files copied on line %d change and downloads everything again: add RUN %s%s%s to keep its cache between builds",
					triggerPrefix(it.in, it.outer), vocab.JoinAnd(tools), copied, strings.Join(mounts, " "), note, user)
			}
		})
		return nil
	},
}

type cacheMount struct {
	tool   string
	dirs   []string
	locked bool
	// drop is an option that turns the cache off and must go for the
	// mount to help (pip --no-cache-dir, apk --no-cache).
	drop string
}

// cacheDirFrag is a part of the path that identifies each cache
// directory, so that a cache mount at a relocated cache (PNPM_HOME=/pnpm,
// a non-root user's home) still counts.
var cacheDirFrag = map[string]string{
	"/var/cache/apt": "/cache/apt", "/var/lib/apt": "/lib/apt", "/var/cache/apk": "apk",
	"/root/.cache/pip": "pip", "/root/.npm": ".npm", "/usr/local/share/.cache/yarn": "yarn",
	"/root/.local/share/pnpm/store": "pnpm", "/go/pkg/mod": "pkg/mod", "/root/.cache/go-build": "go-build",
	"/usr/local/cargo/registry": "cargo", "/root/.m2": ".m2", "/root/.gradle": ".gradle",
	"/root/.nuget/packages": "nuget",
}

// cacheMountsFor returns the cache directories the installs of a RUN use.
func cacheMountsFor(p *Pass, it sdItem) []cacheMount {
	var out []cacheMount
	for _, op := range opsOf(p, it.outer) {
		name := string(op.Manager)
		switch op.Manager {
		case shell.AptGet, shell.Apt:
			if op.Action == shell.ActionInstall {
				out = append(out, cacheMount{name, []string{"/var/cache/apt", "/var/lib/apt"}, true, ""})
			}
		case shell.Apk:
			if op.Action == shell.ActionInstall && !op.NoCache() {
				out = append(out, cacheMount{name, []string{"/var/cache/apk"}, false, ""})
			}
		case shell.Pip:
			if op.Action == shell.ActionInstall {
				drop := ""
				if op.NoCache() {
					drop = "--no-cache-dir"
				}
				out = append(out, cacheMount{"pip", []string{"/root/.cache/pip"}, false, drop})
			}
		case shell.Npm:
			if op.Action == shell.ActionInstall {
				out = append(out, cacheMount{name, []string{"/root/.npm"}, false, ""})
			}
		case shell.Yarn:
			if op.Action == shell.ActionInstall {
				out = append(out, cacheMount{name, []string{"/usr/local/share/.cache/yarn"}, false, ""})
			}
		case shell.Pnpm:
			if op.Action == shell.ActionInstall {
				out = append(out, cacheMount{name, []string{"/root/.local/share/pnpm/store"}, false, ""})
			}
		case shell.Go:
			switch {
			case op.Action == shell.ActionDownload || op.Verb == "get":
				out = append(out, cacheMount{"go", []string{"/go/pkg/mod"}, false, ""})
			case op.Verb == "build" || op.Verb == "install" || op.Verb == "test":
				out = append(out, cacheMount{"go", []string{"/go/pkg/mod", "/root/.cache/go-build"}, false, ""})
			}
		case shell.Cargo:
			if op.Verb == "build" || op.Verb == "fetch" || op.Verb == "install" {
				out = append(out, cacheMount{name, []string{"/usr/local/cargo/registry"}, false, ""})
			}
		}
	}
	for _, c := range commandsOf(p, it.outer) {
		switch c.Base() {
		case "mvn", "mvnw":
			out = append(out, cacheMount{"maven", []string{"/root/.m2"}, false, ""})
		case "gradle", "gradlew":
			out = append(out, cacheMount{"gradle", []string{"/root/.gradle"}, false, ""})
		case "dotnet":
			if c.HasArgs("restore") || c.HasArgs("build") || c.HasArgs("publish") {
				out = append(out, cacheMount{"dotnet", []string{"/root/.nuget/packages"}, false, ""})
			}
		}
	}
	return out
}

// userAt returns the USER in force at an instruction ("" when none is
// set in its stage chain).
func userAt(at *dockerfile.Instruction) string {
	if at.Stage == nil {
		return ""
	}
	user := ""
	for _, st := range reverseStages(at.Stage.Chain()) {
		for _, in := range st.Instructions {
			if in == at {
				return user
			}
			if in.Cmd == "user" {
				user = in.User()
			}
		}
	}
	return user
}

func reverseStages(xs []*dockerfile.Stage) []*dockerfile.Stage {
	out := make([]*dockerfile.Stage, len(xs))
	for i, x := range xs {
		out[len(xs)-1-i] = x
	}
	return out
}

// cacheGroups maps SD701's tool names to the caches whose clean-up
// empties what the tool's mount would keep.
var cacheGroups = map[string]shell.Cache{
	"npm": shell.CacheNpm, "yarn": shell.CacheYarn, "go": shell.CacheGo,
}

// cleanedCaches returns the tools among tools whose cache the RUN empties.
func cleanedCaches(p *Pass, it sdItem, tools []string) []string {
	var out []string
	for _, tool := range tools {
		c, ok := cacheGroups[tool]
		if !ok {
			continue
		}
		for _, rs := range p.Shell(it.outer) {
			if rs.Cleans(c, nil) {
				out = append(out, tool+"'s cache")
				break
			}
		}
	}
	return out
}

// commandsOf returns the simple commands of a RUN's parsed scripts.
func commandsOf(p *Pass, outer *dockerfile.Instruction) []*shell.Command {
	var out []*shell.Command
	for _, rs := range p.Shell(outer) {
		out = append(out, rs.Commands...)
	}
	return out
}

// manifestNames are the files a dependency install reads: a COPY of one
// of them (or of the whole context) makes the install re-run when it
// changes.
var manifestNames = []string{"package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
	"requirements", "pyproject.toml", "poetry.lock", "Pipfile", "uv.lock", "setup.py", "setup.cfg", "go.mod", "go.sum",
	"pom.xml", "build.gradle", "settings.gradle", "gradle", "Cargo.toml", "Cargo.lock", "Gemfile", "composer.json",
	"composer.lock", ".csproj", ".fsproj", ".sln", "NuGet.Config", "packages.config", "mix.exs", "mix.lock"}

// copiesInputs reports whether a COPY or ADD from the context copies
// files that change as the project does (sources, manifests, the whole
// context), rather than ones that rarely change: a helper script, a
// notice or licence text.
func copiesInputs(bc *BuildContext, in *dockerfile.Instruction) bool {
	for _, s := range copySources(in) {
		s = dockerfile.TrimQuotes(s)
		if dockerfile.IsContextSource(s) || dockerfile.HasVariable(s) {
			return true
		}
		b := path.Base(strings.TrimRight(s, "/"))
		lb := strings.ToLower(b)
		for _, m := range manifestNames {
			if strings.Contains(b, m) {
				return true
			}
		}
		switch {
		case strings.HasSuffix(lb, ".sh"), strings.HasSuffix(lb, ".md"), strings.HasSuffix(lb, ".txt"),
			strings.HasPrefix(lb, "license"), strings.HasPrefix(lb, "notice"), strings.HasPrefix(lb, "readme"),
			strings.HasPrefix(lb, "copying"), strings.HasSuffix(lb, ".pem"), strings.HasSuffix(lb, ".crt"):
			continue
		case !strings.Contains(strings.TrimPrefix(b, "."), ".") && !strings.HasSuffix(s, "/") && bc.Known() && bc.Exists(cleanRel(s)) && !isDir(bc, cleanRel(s)):
			continue // an extensionless file: a helper script or a tool
		}
		return true
	}
	return false
}

// usedLater reports whether a later RUN of the stage chain, or a stage
// built on it that runs the tool when the container starts, needs what
// the install leaves in the cache directories of a tool that builds from
// its cache (Go modules, Cargo's registry, Maven's and Gradle's
// repositories, NuGet packages): with a cache mount those are no longer
// in the image (go build after go mod download, cargo run --offline after
// cargo fetch, mvn spring-boot:run).
func usedLater(p *Pass, it sdItem, tools []string) bool {
	want := map[string]bool{}
	for _, t := range tools {
		switch t {
		case "npm", "yarn", "pnpm", "pip", "apt-get", "apt", "apk":
			// A download cache only: later commands read what the
			// install put elsewhere (node_modules, site-packages).
			continue
		}
		want[t] = true
		switch t {
		case "maven":
			want["mvn"], want["mvnw"] = true, true
		case "gradle":
			want["gradlew"] = true
		}
	}
	st := it.outer.Stage
	if st == nil || it.in != it.outer {
		return false
	}
	derived := func(c *dockerfile.Stage) bool {
		for _, x := range c.Chain() {
			if x == st {
				return true
			}
		}
		return false
	}
	for _, c := range p.File.Stages {
		if !derived(c) {
			continue
		}
		for _, in := range c.Instructions {
			if c == st && indexIn(in) <= indexIn(it.outer) {
				continue
			}
			switch in.Cmd {
			case "run":
				for _, x := range commandsOf(p, in) {
					if want[x.Base()] || x.Base() == "make" || strings.HasSuffix(x.Base(), ".sh") {
						return true
					}
				}
			case "cmd", "entrypoint":
				if c == st {
					continue
				}
				for _, w := range wordsOf(in.Args) {
					if want[baseName(w)] {
						return true
					}
				}
			}
		}
	}
	return false
}
