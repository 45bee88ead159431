package rules

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/fix/plan"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// Checklist rules about image size (SD4xx).

// SD401 reports package caches left in a shipped layer that the DL rules
// do not already cover.
var SD401 = &Rule{
	ID:        "SD401",
	Name:      "package-cache-left",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: SizeCleanCaches,
	Doc: Doc{
		Summary: "A package manager leaves its download cache or index in the image.",
		Why: "Package managers keep what they download: npm in ~/.npm, Bundler and gem in " +
			"the gem cache, Composer in its cache directory, Go in /root/.cache/go-build and " +
			"/go/pkg/mod, apk update in /var/cache/apk. In a shipped layer these are tens to " +
			"hundreds of megabytes nobody uses at run time, and deleting them in a later RUN " +
			"does not help. Clean them in the same RUN (npm cache clean --force, go clean " +
			"-cache -modcache, composer clear-cache, rm -rf /var/cache/apk/*), or better, " +
			"put them on a BuildKit cache mount, which keeps them between builds and out of the " +
			"image. Only stages that end up in the final image are checked; apt lists " +
			"(DL3009), apk add (DL3019), pip (DL3042), yarn (DL3060), yum (DL3032), zypper " +
			"(DL3036) and dnf (DL3040) are left to those rules. The fix appends the clean-up " +
			"command to the RUN.",
		Bad:  "RUN npm ci --omit=dev",
		Good: "RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev",
	},
	Check: func(p *Pass) error {
		sdSequences(p.File, func(st *dockerfile.Stage, seq []sdItem, own func(sdItem) bool) {
			trig := len(seq) > 0 && seq[0].in != seq[0].outer
			if !trig && !p.File.Inherited(st) {
				return
			}
			for _, it := range seq {
				if it.in.Cmd != "run" || !own(it) {
					continue
				}
				var left, cleans []string
				for _, rs := range p.Shell(it.outer) {
					for _, lc := range leftCaches(rs, it.in) {
						left = append(left, lc.what)
						if lc.clean != "" {
							cleans = append(cleans, lc.clean)
						}
					}
				}
				if len(left) == 0 {
					continue
				}
				var fix *edit.Fix
				if len(cleans) == len(left) {
					if e, ok := edit.ScriptEnd(p.File, it.outer, p.Shell(it.outer), " && "+strings.Join(cleans, " && ")); ok {
						// The whole RUN is the fix's region: when another
						// fix changes this RUN in the same pass (a stage
						// split that stops it shipping, a cache mount), the
						// clean-up is decided again on the new text.
						start, end := edit.LineSpan(p.File, it.outer.StartLine, it.outer.EndLine)
						fix = &edit.Fix{Message: "remove the cache in the same RUN", Edits: []edit.TextEdit{e}, Region: &edit.Span{Pos: start, End: end}}
					}
				}
				p.ReportFix(it.outer, fix, "%sRUN leaves %s in the image: clean %s in the same RUN or use a cache mount (RUN --mount=type=cache,...)",
					onbuildPrefix(it), vocab.JoinAnd(left), plural(len(left), "it", "them"))
			}
		})
		return nil
	},
}

type leftCache struct {
	what  string // for the message
	clean string // a command that removes it, for the fix
}

// leftCaches returns the caches a script fills and does not clean, among
// those no DL rule checks.
func leftCaches(rs *edit.Script, in *dockerfile.Instruction) []leftCache {
	var out []leftCache
	ops := rs.PackageOps()
	var apkUpdate, apkAddCached, npmInst, gemInst, composerInst, goBuild, goMod *shell.PackageOp
	for _, op := range ops {
		switch op.Manager {
		case shell.Apk:
			if op.Action == shell.ActionUpdate {
				apkUpdate = op
			}
			if (op.Action == shell.ActionInstall || op.Action == shell.ActionUpgrade) && !op.NoCache() {
				apkAddCached = op
			}
		case shell.Npm:
			if op.Action == shell.ActionInstall {
				npmInst = op
			}
		case shell.Gem, shell.Bundle:
			if op.Action == shell.ActionInstall {
				gemInst = op
			}
		case shell.Composer:
			if op.Action == shell.ActionInstall || op.Verb == "update" || op.Verb == "require" {
				composerInst = op
			}
		case shell.Go:
			switch {
			case op.Verb == "build" || op.Verb == "install" || op.Verb == "test":
				goBuild, goMod = op, op
			case op.Action == shell.ActionDownload || op.Verb == "get":
				goMod = op
			}
		}
	}
	if apkUpdate != nil && apkAddCached == nil && !rs.Cleans(shell.CacheApk, apkUpdate.Command) && !hasCacheMount(in, "/var/cache/apk") {
		out = append(out, leftCache{"the apk index from apk update (/var/cache/apk)", "rm -rf /var/cache/apk/*"})
	}
	if npmInst != nil && !rs.Cleans(shell.CacheNpm, npmInst.Command) && !mountLike(in, "/.npm") {
		out = append(out, leftCache{"the npm cache (~/.npm)", "npm cache clean --force"})
	}
	if gemInst != nil && !rs.Cleans(shell.CacheGem, gemInst.Command) && !mountLike(in, "bundle", ".gem") {
		out = append(out, leftCache{"the downloaded .gem files (the gem cache)", ""})
	}
	if composerInst != nil && !rs.Cleans(shell.CacheComposer, composerInst.Command) && !mountLike(in, "composer") {
		out = append(out, leftCache{"the Composer cache", "composer clear-cache"})
	}
	if goMod != nil && !rs.Cleans(shell.CacheGo, goMod.Command) {
		var what []string
		if goBuild != nil && !mountLike(in, "go-build") {
			what = append(what, "build cache (/root/.cache/go-build)")
		}
		if !mountLike(in, "/pkg/mod") {
			what = append(what, "module cache (/go/pkg/mod)")
		}
		if len(what) > 0 {
			out = append(out, leftCache{"the Go " + vocab.JoinAnd(what), "go clean -cache -modcache"})
		}
	}
	return out
}

// mountLike reports whether the RUN has a cache mount whose target
// contains one of the fragments.
func mountLike(in *dockerfile.Instruction, frags ...string) bool {
	for _, m := range in.Mounts() {
		if m.Type != "cache" {
			continue
		}
		for _, f := range frags {
			if strings.Contains(m.Target, f) {
				return true
			}
		}
	}
	return false
}

// SD402 reports files, caches or packages removed in a later RUN than the
// one that created them.
var SD402 = &Rule{
	ID:        "SD402",
	Name:      "cleanup-in-later-layer",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: SizeSameLayerCleanup,
	Doc: Doc{
		Summary: "Files or packages are removed in a later RUN than the one that created them: the removal saves nothing.",
		Why: "Layers only add. A file written by one RUN (or COPY, or ADD) stays in that layer " +
			"for good; deleting it in a later RUN hides it but the image is as big as before, " +
			"and a little bigger for the deletion record. Package indexes and caches " +
			"(rm -rf /var/lib/apt/lists/*, yum clean all), build dependencies (apk del, " +
			"apt-get purge, pip uninstall) and downloaded archives (wget, curl -o, ADD, COPY) " +
			"must be removed in the same RUN that made them, or not put in the image at all " +
			"(a build stage, a bind or cache mount). Only stages that end up in the final image " +
			"are checked; the finding is on the removing RUN and names the line that created " +
			"the bytes. The fix moves a cache clean-up to the end of the RUN that filled the " +
			"cache when nothing between the two uses that package manager or its cache, and " +
			"chains the RUNs from the one that installed build dependencies through the one " +
			"that removes them with && when only RUNs with the same flags lie between.",
		Bad:  "RUN apk add --no-cache gcc musl-dev\nRUN pip install --no-cache-dir flask\nRUN apk del gcc musl-dev",
		Good: "RUN apk add --no-cache --virtual .build-deps gcc musl-dev \\\n && pip install --no-cache-dir flask \\\n && apk del .build-deps",
	},
	Check: func(p *Pass) error {
		sdSequences(p.File, func(st *dockerfile.Stage, seq []sdItem, own func(sdItem) bool) {
			trig := len(seq) > 0 && seq[0].in != seq[0].outer
			if trig || !p.File.Inherited(st) {
				return
			}
			filled := map[shell.Cache]int{}
			installed := map[string]int{}
			created := map[string]int{}
			var createdOrder []string
			for _, it := range seq {
				in := it.in
				switch in.Cmd {
				case "copy", "add":
					for _, d := range copyDests(in) {
						if _, ok := created[d]; !ok {
							createdOrder = append(createdOrder, d)
						}
						created[d] = in.StartLine
					}
					continue
				case "run":
				default:
					continue
				}
				scripts := p.Shell(it.outer)
				var found []string
				var origins []plan.Origin
				for _, rs := range scripts {
					// Caches filled earlier and cleaned here.
					for _, c := range trackedCaches {
						if line := filled[c]; line > 0 && rs.Cleans(c, nil) && rs.LastFill(c) == nil {
							found = append(found, fmt.Sprintf("the %s (filled on line %d)", cacheNames[c], line))
							origins = append(origins, plan.Origin{Line: line, Cache: c})
						}
					}
					// Packages installed earlier and removed here.
					mine := map[string]bool{}
					for _, op := range rs.PackageOps() {
						if op.Action == shell.ActionInstall {
							for _, k := range packageKeys(op) {
								mine[k] = true
							}
						}
					}
					for _, op := range rs.PackageOps() {
						if op.Action != shell.ActionRemove {
							continue
						}
						for _, pk := range op.Packages {
							k := managerFamily(op.Manager) + ":" + pk.Name
							if line := installed[k]; line > 0 && !mine[k] {
								found = append(found, fmt.Sprintf("%s (installed on line %d)", pk.Name, line))
								origins = append(origins, plan.Origin{Line: line, Pkg: true})
							}
						}
					}
					// Files created earlier and deleted here.
					for _, pth := range createdOrder {
						if line := created[pth]; line > 0 && rs.RemovesPath(pth, nil) {
							found = append(found, fmt.Sprintf("%s (created on line %d)", pth, line))
							origins = append(origins, plan.Origin{Line: line})
						}
					}
				}
				if len(found) > 0 && own(it) {
					p.ReportFix(it.outer, plan.Later(planInput{p}, st, it.outer, origins), "%sRUN removes %s, which an earlier layer already holds: the image is no smaller; remove them in the RUN that made them (or keep them out with a build stage or mount)", onbuildPrefix(it), vocab.JoinAnd(dedupeStrings(found)))
				}
				// Record what this RUN leaves behind.
				for _, rs := range scripts {
					for _, c := range trackedCaches {
						if lf := rs.LastFill(c); lf != nil && !rs.Cleans(c, lf) && !hasCacheMount(in, cacheDirs[c]) {
							filled[c] = in.StartLine
						} else if rs.Cleans(c, nil) {
							delete(filled, c)
						}
					}
					for _, op := range rs.PackageOps() {
						switch op.Action {
						case shell.ActionInstall:
							for _, k := range packageKeys(op) {
								installed[k] = in.StartLine
							}
						case shell.ActionRemove:
							for _, pk := range op.Packages {
								delete(installed, managerFamily(op.Manager)+":"+pk.Name)
							}
						}
					}
					for _, d := range downloads(rs) {
						if !rs.RemovesPath(d.path, d.cmd) {
							if _, ok := created[d.path]; !ok {
								createdOrder = append(createdOrder, d.path)
							}
							created[d.path] = in.StartLine
						}
					}
					for _, pth := range createdOrder {
						if rs.RemovesPath(pth, nil) {
							created[pth] = 0
						}
					}
				}
			}
		})
		return nil
	},
}

var trackedCaches = []shell.Cache{shell.CacheAptLists, shell.CacheApk, shell.CachePip, shell.CacheNpm, shell.CacheYarn,
	shell.CacheYum, shell.CacheDnf, shell.CacheZypper, shell.CacheGem, shell.CacheComposer, shell.CacheGo}

var cacheNames = map[shell.Cache]string{
	shell.CacheAptLists: "apt package lists", shell.CacheApk: "apk cache", shell.CachePip: "pip cache",
	shell.CacheNpm: "npm cache", shell.CacheYarn: "yarn cache", shell.CacheYum: "yum cache", shell.CacheDnf: "dnf cache",
	shell.CacheZypper: "zypper cache", shell.CacheGem: "gem cache", shell.CacheComposer: "Composer cache", shell.CacheGo: "Go caches",
}

var cacheDirs = map[shell.Cache]string{
	shell.CacheAptLists: "/var/lib/apt/lists", shell.CacheApk: "/var/cache/apk", shell.CachePip: "/root/.cache/pip",
	shell.CacheNpm: "/root/.npm", shell.CacheYarn: "/usr/local/share/.cache/yarn", shell.CacheYum: "/var/cache/yum",
	shell.CacheDnf: "/var/cache/dnf", shell.CacheZypper: "/var/cache/zypp", shell.CacheGem: "/usr/local/bundle/cache",
	shell.CacheComposer: "/root/.composer/cache", shell.CacheGo: "/root/.cache/go-build",
}

// packageKeys returns "family:name" keys for the packages an install op
// adds, including an apk --virtual group name.
func packageKeys(op *shell.PackageOp) []string {
	fam := managerFamily(op.Manager)
	var out []string
	for _, n := range op.PackageNames() {
		out = append(out, fam+":"+n)
	}
	if op.Manager == shell.Apk {
		if v, ok := op.FlagValue("--virtual", "-t"); ok {
			out = append(out, fam+":"+v)
		}
	}
	return out
}

func dedupeStrings(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// copyDests returns the absolute paths a COPY or ADD creates, when they
// can be told: the destination file, or destination directory plus each
// source's base name. Local archives ADD unpacks are left out.
func copyDests(in *dockerfile.Instruction) []string {
	if len(in.Args) < 2 {
		return nil
	}
	dest := dockerfile.TrimQuotes(in.Args[len(in.Args)-1])
	if dockerfile.HasVariable(dest) {
		return nil
	}
	if !path.IsAbs(dest) {
		wd := in.Workdir()
		if wd == "" {
			return nil
		}
		dest = path.Join(wd, dest)
	}
	srcs := copySources(in)
	_, fromStage := in.Flag("from")
	dir := strings.HasSuffix(in.Args[len(in.Args)-1], "/") || len(srcs) > 1
	var out []string
	for _, s := range srcs {
		s = dockerfile.TrimQuotes(s)
		if dockerfile.HasVariable(s) || strings.ContainsAny(s, "*?[") || strings.HasPrefix(s, "<<") {
			continue
		}
		if in.Cmd == "add" && !isRemoteSource(s) && isArchiveName(s) {
			continue
		}
		if !dir {
			out = append(out, path.Clean(dest))
			continue
		}
		// A directory source copies its contents, not itself: only
		// sources that look like files name what lands in dest.
		b := path.Base(strings.TrimRight(s, "/"))
		if isRemoteSource(s) {
			b = path.Base(strings.SplitN(s, "?", 2)[0])
		} else if strings.HasSuffix(s, "/") || !fromStage && !strings.Contains(strings.TrimPrefix(b, "."), ".") {
			// From another stage a source is usually a built file (a
			// binary without extension); from the context, a name
			// without extension is as likely a directory.
			continue
		}
		if b == "." || b == "/" || b == "" {
			continue
		}
		out = append(out, path.Join(dest, b))
	}
	return out
}

type download struct {
	path string
	cmd  *shell.Command
}

// downloads returns the files wget and curl write in a script, when their
// paths are literal and absolute (or resolvable).
func downloads(rs *edit.Script) []download {
	var out []download
	abs := func(c *shell.Command, p string) string {
		if p == "" || p == "-" || dockerfile.HasVariable(p) {
			return ""
		}
		if path.IsAbs(p) {
			return path.Clean(p)
		}
		if c.Dir == "" {
			return ""
		}
		return path.Join(c.Dir, p)
	}
	urlBase := func(u string) string {
		u = strings.SplitN(strings.SplitN(u, "?", 2)[0], "#", 2)[0]
		b := path.Base(u)
		if b == "." || b == "/" || strings.Contains(b, ":") {
			return ""
		}
		return b
	}
	for _, c := range rs.Find("wget", "curl") {
		var p string
		switch c.Base() {
		case "wget":
			if v, ok := c.FlagValue("-O", "--output-document"); ok {
				p = abs(c, v)
				break
			}
			for _, w := range c.Operands() {
				if strings.Contains(w.Value, "://") {
					b := urlBase(w.Value)
					if d, ok := c.FlagValue("-P", "--directory-prefix"); ok && b != "" {
						p = abs(c, path.Join(d, b))
					} else {
						p = abs(c, b)
					}
				}
			}
		case "curl":
			if c.InPipeline() && c.PipeStage == 0 {
				if _, ok := c.FlagValue("-o", "--output"); !ok {
					continue
				}
			}
			if v, ok := c.FlagValue("-o", "--output"); ok {
				p = abs(c, v)
			} else if c.HasFlag("-O", "--remote-name") {
				for _, w := range c.Operands() {
					if strings.Contains(w.Value, "://") {
						p = abs(c, urlBase(w.Value))
					}
				}
			}
		}
		if p != "" {
			out = append(out, download{p, c})
		}
	}
	return out
}

// SD403 reports debugging and build tools installed in the final image
// and never used there.
var SD403 = &Rule{
	ID:        "SD403",
	Name:      "unused-tools",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: SizeMinimalPackages,
	Doc: Doc{
		Summary: "Debugging or build tools are installed in the final image and nothing there uses them.",
		Why: "Editors (vim, nano), network and debugging tools (curl, wget, telnet, net-tools, " +
			"procps, strace, tcpdump), git, ssh clients and compilers (gcc, make, " +
			"build-essential) are handy in a shell but the application does not run them: they " +
			"add size and attack surface (curl and git are favourite tools of an intruder). " +
			"A tool counts as used when a later command of the same RUN or a later RUN of the " +
			"image runs it, when CMD, ENTRYPOINT or HEALTHCHECK mention it (curl in a " +
			"HEALTHCHECK is a use), when a native build follows (compilers before pip, npm or " +
			"gem installs; git before go, npm, bundle or composer installs), or when the same " +
			"RUN removes it again. Build tools that are used and kept are size.multi_stage's " +
			"business (SD404); tools removed in a later RUN are SD402's. --no-install-recommends " +
			"is DL3015. Only the stages of the final image are checked.",
		Bad:  "RUN apt-get update && apt-get install -y --no-install-recommends python3 curl vim \\\n && rm -rf /var/lib/apt/lists/*\nCMD [\"python3\", \"app.py\"]",
		Good: "RUN apt-get update && apt-get install -y --no-install-recommends python3 \\\n && rm -rf /var/lib/apt/lists/*\nCMD [\"python3\", \"app.py\"]",
	},
	Check: func(p *Pass) error {
		ins := finalInstructions(p.File)
		var entryWords []string
		for _, in := range ins {
			switch in.Cmd {
			case "cmd", "entrypoint", "healthcheck":
				entryWords = append(entryWords, wordsOf(in.Args)...)
			}
		}
		for i, in := range ins {
			if in.Cmd != "run" {
				continue
			}
			var unused []string
			for _, rs := range p.Shell(in) {
				for _, op := range rs.PackageOps() {
					if op.Action != shell.ActionInstall || !isSystemManager(op.Manager) {
						continue
					}
					for _, pk := range op.Packages {
						tool, ok := toolPackage(pk.Name)
						if !ok {
							continue
						}
						if toolUsed(p, tool, pk.Name, op, rs, ins[i+1:], entryWords) {
							continue
						}
						unused = append(unused, pk.Name)
					}
				}
			}
			if len(unused) > 0 {
				unused = dedupeStrings(unused)
				p.ReportFix(in, multiStageFix(p, p.File.FinalStage()), "%s %s installed in the final image but nothing uses %s (no later command, CMD, ENTRYPOINT or HEALTHCHECK runs %s): leave %s out, or install %s only in a build stage",
					vocab.JoinAnd(unused), plural(len(unused), "is", "are"), plural(len(unused), "it", "them"), plural(len(unused), "it", "them"),
					plural(len(unused), "it", "them"), plural(len(unused), "it", "them"))
			}
		}
		return nil
	},
}

// toolInfo describes a package of debugging or build tools.
type toolInfo struct {
	bins  []string
	build bool // a compiler or build tool, used implicitly by native builds
	vcs   bool // git, used implicitly by dependency installs
}

var toolPackages = map[string]toolInfo{
	"vim": {bins: []string{"vim", "vi"}}, "vim-tiny": {bins: []string{"vi", "vim"}}, "vim-nox": {bins: []string{"vim", "vi"}},
	"nano": {bins: []string{"nano"}}, "emacs": {bins: []string{"emacs"}}, "emacs-nox": {bins: []string{"emacs"}},
	"curl": {bins: []string{"curl"}}, "wget": {bins: []string{"wget"}},
	"git":             {bins: []string{"git"}, vcs: true},
	"build-essential": {bins: []string{"gcc", "g++", "make", "cc", "c++"}, build: true},
	"build-base":      {bins: []string{"gcc", "g++", "make", "cc", "c++"}, build: true},
	"gcc":             {bins: []string{"gcc", "cc"}, build: true}, "g++": {bins: []string{"g++", "c++"}, build: true},
	"gcc-c++": {bins: []string{"g++", "c++"}, build: true}, "clang": {bins: []string{"clang"}, build: true},
	"make": {bins: []string{"make"}, build: true}, "cmake": {bins: []string{"cmake"}, build: true},
	"openssh-client": {bins: []string{"ssh", "scp", "sftp"}}, "openssh-clients": {bins: []string{"ssh", "scp", "sftp"}},
	"openssh": {bins: []string{"ssh", "scp", "sftp", "sshd"}}, "telnet": {bins: []string{"telnet"}},
	"net-tools": {bins: []string{"netstat", "ifconfig", "route"}}, "iputils-ping": {bins: []string{"ping"}},
	"iputils": {bins: []string{"ping"}}, "procps": {bins: []string{"ps", "top", "pgrep", "pkill", "free", "watch"}},
	"procps-ng": {bins: []string{"ps", "top", "pgrep", "pkill", "free", "watch"}}, "htop": {bins: []string{"htop"}},
	"strace": {bins: []string{"strace"}}, "gdb": {bins: []string{"gdb"}}, "tcpdump": {bins: []string{"tcpdump"}},
	"dnsutils": {bins: []string{"dig", "nslookup", "host"}}, "bind-tools": {bins: []string{"dig", "nslookup", "host"}},
	"bind-utils": {bins: []string{"dig", "nslookup", "host"}}, "less": {bins: []string{"less"}}, "man-db": {bins: []string{"man"}},
}

func toolPackage(name string) (toolInfo, bool) {
	t, ok := toolPackages[strings.ToLower(name)]
	return t, ok
}

// nativeBuildRe finds commands that may compile native code or fetch VCS
// dependencies in RUN text that is not parsed.
var nativeBuildRe = regexp.MustCompile(`(?i)\b(pip[0-9.]*|npm|yarn|pnpm|gem|bundle|go|cargo|composer|python[0-9.]*\s+setup\.py)\b`)

// toolUsed reports whether a tool installed by op is used after it: later
// in the same script, by a later instruction of the final image, or by
// CMD/ENTRYPOINT/HEALTHCHECK, or removed again in the same script.
func toolUsed(p *Pass, tool toolInfo, pkg string, op *shell.PackageOp, rs *edit.Script, later []*dockerfile.Instruction, entryWords []string) bool {
	bins := map[string]bool{}
	for _, b := range tool.bins {
		bins[b] = true
	}
	if _, ok := containsWord(entryWords, bins); ok {
		return true
	}
	after := func(c *shell.Command) bool { return c.Index > op.Command.Index }
	implicit := func(ops []*shell.PackageOp, ok func(*shell.PackageOp) bool) bool {
		for _, o := range ops {
			if !ok(o) {
				continue
			}
			if tool.build && (o.Manager == shell.Pip || o.Manager == shell.Npm || o.Manager == shell.Yarn || o.Manager == shell.Pnpm ||
				o.Manager == shell.Gem || o.Manager == shell.Bundle || o.Manager == shell.Cargo || o.Manager == shell.Go) && o.Action != shell.ActionRemove {
				return true
			}
			if tool.vcs && (o.Manager == shell.Go || o.Manager == shell.Npm || o.Manager == shell.Yarn || o.Manager == shell.Pnpm ||
				o.Manager == shell.Bundle || o.Manager == shell.Composer || o.Manager == shell.Cargo || o.Manager == shell.Pip && pipMayUseVCS(o)) && o.Action != shell.ActionRemove {
				return true
			}
		}
		return false
	}
	// Same script: used after, or removed after.
	for _, c := range rs.Commands {
		if after(c) && bins[c.Base()] {
			return true
		}
	}
	if implicit(rs.PackageOps(), func(o *shell.PackageOp) bool { return o.Command.Index > op.Command.Index }) {
		return true
	}
	if removedAfter(rs, op, pkg) {
		return true
	}
	if tool.build {
		for _, c := range rs.Commands {
			if after(c) && buildDriver(c) {
				return true
			}
		}
	}
	for _, in := range later {
		switch in.Cmd {
		case "run":
			if !isPOSIXRun(in) {
				words := wordsOf([]string{runText(in)})
				if _, ok := containsWord(words, bins); ok {
					return true
				}
				if (tool.build || tool.vcs) && nativeBuildRe.MatchString(runText(in)) {
					return true
				}
				continue
			}
			for _, rs2 := range p.Shell(in) {
				for _, c := range rs2.Commands {
					if bins[c.Base()] {
						return true
					}
					for _, a := range c.Args {
						if bins[baseName(a)] && (c.Base() == "sh" || c.Base() == "bash" || c.Base() == "xargs" || c.Base() == "find") {
							return true
						}
					}
				}
				if implicit(rs2.PackageOps(), func(*shell.PackageOp) bool { return true }) {
					return true
				}
				if tool.build {
					for _, c := range rs2.Commands {
						if buildDriver(c) {
							return true
						}
					}
				}
			}
		case "onbuild":
			words := wordsOf([]string{in.Original})
			if _, ok := containsWord(words, bins); ok {
				return true
			}
		}
	}
	return false
}

// buildDriver reports whether a command compiles native code with
// whatever compiler is installed (make, cmake, configure, a compiler).
func buildDriver(c *shell.Command) bool {
	switch c.Base() {
	case "make", "cmake", "ninja", "meson", "configure", "gcc", "cc", "g++", "c++", "clang", "clang++", "node-gyp":
		return true
	}
	return c.HasArgs("setup.py")
}

// pipMayUseVCS reports whether a pip install may clone repositories: a
// requirements file (whose lines are not read) or a VCS URL.
func pipMayUseVCS(op *shell.PackageOp) bool {
	if len(op.FlagValues("-r", "--requirement")) > 0 {
		return true
	}
	for _, pk := range op.Packages {
		if pk.URL || strings.Contains(pk.Raw, "git+") {
			return true
		}
	}
	return false
}

// SD404 reports compiling in the final image.
var SD404 = &Rule{
	ID:        "SD404",
	Name:      "compile-in-final-image",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: SizeMultiStage,
	Doc: Doc{
		Summary: "The final image compiles the application: the compiler, SDK and build cache ship with it.",
		Why: "A single-stage build that runs go build, gcc or make, mvn or gradle, cargo build, " +
			"dotnet publish, npm run build, or pip installs that compile against build-essential " +
			"leaves the whole toolchain, the sources and the intermediate files in the image the " +
			"application runs from: often ten times its size, and compilers an intruder can " +
			"use. A multi-stage build compiles in a builder stage and copies only the result " +
			"(COPY --from=build) into a slim runtime stage. A build is not reported when the " +
			"same RUN removes its toolchain afterwards (apk add --virtual .build-deps ... && " +
			"apk del .build-deps), or when dev dependencies are pruned after npm run build. " +
			"Only the stages of the final image are checked, once per image. For a " +
			"single-stage file an unsafe fix splits it into a build stage and a runtime stage.",
		Bad:  "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]",
		Good: "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nCMD [\"/app\"]",
	},
	Check: func(p *Pass) error {
		ins := finalInstructions(p.File)
		compilersFrom := 0 // line where a kept compiler was installed
		for i, in := range ins {
			if in.Cmd != "run" {
				continue
			}
			if !isPOSIXRun(in) {
				if in.JSON {
					continue
				}
				if m := nonPOSIXCompileRe.FindString(runText(in)); m != "" {
					p.Report(in, "%s compiles in the final image: the SDK ships with the result; build in a separate stage and COPY --from it only the output", strings.TrimSpace(m))
					return nil
				}
				continue
			}
			for _, rs := range p.Shell(in) {
				if what, c := compileIn(rs, compilersFrom); what != "" {
					if removesToolchainAfter(rs, c) || prunedLater(p, c, rs, ins[i:]) {
						continue
					}
					multi := ""
					if len(p.File.Stages) == 1 {
						multi = " (a single-stage build)"
					}
					p.ReportFix(in, multiStageFix(p, p.File.FinalStage()), "%s compiles in the final image%s: the toolchain, sources and build files ship with the program; build in a separate stage and COPY --from it only the result into a slim runtime stage", what, multi)
					return nil
				}
				// Remember compilers installed and kept.
				for _, op := range rs.PackageOps() {
					if op.Action != shell.ActionInstall || !isSystemManager(op.Manager) {
						continue
					}
					for _, n := range op.PackageNames() {
						if t, ok := toolPackage(n); ok && t.build && !removedAfter(rs, op, n) {
							compilersFrom = in.StartLine
						}
					}
				}
			}
		}
		return nil
	},
}

var nonPOSIXCompileRe = regexp.MustCompile(`(?i)\b(dotnet\s+(build|publish)|msbuild|go\s+build|cargo\s+build|mvnw?(\.cmd)?\s+\S*(package|install|compile|verify)|gradlew?(\.bat)?\s+\S*(build|assemble|jar)|npm\s+run\s+build|javac)\b`)

// compileIn returns a description of the first compile in a script and
// its command. compilersFrom is the line where compilers kept in the
// image were installed (0 if none), which makes pip/gem/npm installs
// native builds.
func compileIn(rs *edit.Script, compilersFrom int) (string, *shell.Command) {
	for _, c := range rs.Commands {
		b := c.Base()
		switch {
		case b == "go" && (c.HasArgs("build") || c.HasArgs("install")) && len(c.Args) > 0 && (c.Args[0] == "build" || c.Args[0] == "install"):
			return "go " + c.Args[0], c
		case b == "cargo" && len(c.Args) > 0 && (c.Args[0] == "build" || c.Args[0] == "install"):
			return "cargo " + c.Args[0], c
		case b == "gcc" || b == "g++" || b == "cc" || b == "c++" || b == "clang" || b == "clang++" || b == "make" || b == "cmake" || b == "ninja" || b == "javac" || b == "rustc":
			return b, c
		case b == "mvn" || b == "mvnw" || b == "gradle" || b == "gradlew":
			return b, c
		case b == "dotnet" && len(c.Args) > 0 && (c.Args[0] == "build" || c.Args[0] == "publish"):
			return "dotnet " + c.Args[0], c
		case (b == "npm" || b == "pnpm") && len(c.Args) > 1 && c.Args[0] == "run" && strings.Contains(c.Args[1], "build"),
			(b == "yarn" || b == "pnpm") && len(c.Args) > 0 && c.Args[0] == "build",
			b == "yarn" && len(c.Args) > 1 && c.Args[0] == "run" && strings.Contains(c.Args[1], "build"):
			return strings.Join(append([]string{b}, c.Args[:min(2, len(c.Args))]...), " "), c
		}
	}
	// Native installs with compilers present (installed earlier in the
	// image, or in this script and not removed).
	local := false
	for _, op := range rs.PackageOps() {
		if op.Action == shell.ActionInstall && isSystemManager(op.Manager) {
			for _, n := range op.PackageNames() {
				if t, ok := toolPackage(n); ok && t.build {
					local = true
				}
			}
		}
		if (compilersFrom > 0 || local) && op.Action == shell.ActionInstall &&
			(op.Manager == shell.Pip || op.Manager == shell.Gem || op.Manager == shell.Bundle) {
			return op.Program + " " + op.Verb + " (with build tools installed)", op.Command
		}
	}
	return "", nil
}

// removesToolchainAfter reports whether the script removes build tools
// after command c: a compiler package by name, or an apk virtual group
// the script installed.
func removesToolchainAfter(rs *edit.Script, c *shell.Command) bool {
	groups := map[string]bool{}
	for _, op := range rs.PackageOps() {
		if op.Manager == shell.Apk && op.Action == shell.ActionInstall {
			if v, ok := op.FlagValue("--virtual", "-t"); ok {
				groups[v] = true
			}
		}
	}
	for _, op := range rs.PackageOps() {
		if op.Action != shell.ActionRemove || !isSystemManager(op.Manager) || op.Command.Index <= c.Index {
			continue
		}
		for _, pk := range op.Packages {
			if t, ok := toolPackage(pk.Name); ok && t.build || groups[pk.Name] {
				return true
			}
		}
	}
	return false
}

// removedAfter reports whether packages of an install op are removed
// later in the same script, by name or by apk virtual group: pkg alone,
// or any of them when pkg is "".
func removedAfter(rs *edit.Script, op *shell.PackageOp, pkg string) bool {
	fam := managerFamily(op.Manager)
	keys := map[string]bool{}
	if pkg != "" {
		keys[fam+":"+pkg] = true
		if op.Manager == shell.Apk {
			if v, ok := op.FlagValue("--virtual", "-t"); ok {
				keys[fam+":"+v] = true
			}
		}
	} else {
		for _, k := range packageKeys(op) {
			keys[k] = true
		}
	}
	for _, o := range rs.PackageOps() {
		if o.Action != shell.ActionRemove || o.Command.Index < op.Command.Index {
			continue
		}
		for _, pk := range o.Packages {
			if keys[managerFamily(o.Manager)+":"+pk.Name] {
				return true
			}
		}
	}
	return false
}

// prunedLater reports whether a JavaScript build's dev dependencies are
// pruned after it (npm prune, a production reinstall, removing
// node_modules).
func prunedLater(p *Pass, c *shell.Command, rs *edit.Script, rest []*dockerfile.Instruction) bool {
	b := c.Base()
	if b != "npm" && b != "yarn" && b != "pnpm" {
		return false
	}
	check := func(cmds []*shell.Command, from int) bool {
		for _, x := range cmds {
			if x.Index <= from {
				continue
			}
			xb := x.Base()
			if (xb == "npm" || xb == "pnpm") && x.HasArgs("prune") {
				return true
			}
			if (xb == "npm" || xb == "yarn" || xb == "pnpm") && (x.HasFlag("--production", "--omit") || x.HasArgs("--only=production", "--prod")) {
				return true
			}
		}
		return false
	}
	if check(rs.Commands, c.Index) {
		return true
	}
	for _, in := range rest[1:] {
		if in.Cmd != "run" {
			continue
		}
		for _, r := range p.Shell(in) {
			if check(r.Commands, -1) {
				return true
			}
		}
	}
	return false
}

// sortedKeys returns the keys of a set in order.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// onbuildPrefix returns "ONBUILD " for a trigger item.
func onbuildPrefix(it sdItem) string {
	return triggerPrefix(it.in, it.outer)
}
