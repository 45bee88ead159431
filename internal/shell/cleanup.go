package shell

import (
	"path"
	"strings"
)

// removal is a path pattern deleted by a command.
type removal struct {
	cmd       *Command
	pattern   string // absolute, cleaned glob pattern
	recursive bool   // also removes everything below matching paths
}

var rmGrammar = &Grammar{}

// findRemovals collects the deletions done by rm, unlink and find.
func (s *Script) findRemovals() []removal {
	var out []removal
	for _, c := range s.Commands {
		switch {
		case c.Is("rm"):
			flags, ops := c.ParseArgs(rmGrammar)
			fs := flagSet{flags: flags}
			recursive := fs.has([]string{"-r", "-R", "--recursive"})
			for _, w := range ops {
				out = s.addRemoval(out, c, w, recursive, "")
			}
		case c.Is("unlink"):
			if _, ops := c.ParseArgs(rmGrammar); len(ops) == 1 {
				out = s.addRemoval(out, c, ops[0], false, "")
			}
		case c.Is("find"):
			for _, w := range findDeleteRoots(c) {
				out = s.addRemoval(out, c, w, true, "/*")
			}
		}
	}
	return out
}

// addRemoval resolves operand w (expanding braces when the dialect has
// them) and appends the resulting removals.
func (s *Script) addRemoval(out []removal, c *Command, w Word, recursive bool, suffix string) []removal {
	words := []Word{w}
	if s.Lang != LangPOSIX && w.Literal && w.Raw == w.Value && strings.Contains(w.Value, "{") {
		words = words[:0]
		for _, e := range expandBraces(w.Value, 64) {
			words = append(words, Word{Value: e, Raw: e, Literal: true, pattern: e, Pos: w.Pos, End: w.End})
		}
	}
	for _, x := range words {
		p, ok := resolvePath(x, c.Dir, s.home)
		if !ok {
			continue
		}
		if suffix != "" {
			p = path.Clean(p + suffix)
		}
		out = append(out, removal{cmd: c, pattern: p, recursive: recursive})
	}
	return out
}

// expandBraces performs bash brace expansion of comma lists ({a,b}) on an
// unquoted word, returning at most limit results. Words that are too long
// or have too many braces are returned unexpanded.
func expandBraces(s string, limit int) []string {
	if len(s) > 4096 || strings.Count(s, "{") > 16 {
		return []string{s}
	}
	depth, open := 0, -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			if depth == 0 {
				open = i
			}
			depth++
		case '}':
			if depth == 0 {
				continue
			}
			depth--
			if depth > 0 {
				continue
			}
			alts := splitTopLevel(s[open+1 : i])
			if len(alts) < 2 {
				continue
			}
			var out []string
			for _, a := range alts {
				for _, e := range expandBraces(s[:open]+a+s[i+1:], limit-len(out)) {
					out = append(out, e)
					if len(out) >= limit {
						return out
					}
				}
			}
			return out
		}
	}
	return []string{s}
}

// splitTopLevel splits s at commas not nested in braces.
func splitTopLevel(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

// findDeleteRoots returns the start directories of a find command whose
// expression deletes everything it visits (-delete or -exec rm), with no
// test that selects only some files other than -type, -mindepth and
// -maxdepth.
func findDeleteRoots(c *Command) []Word {
	args := c.ArgWords
	i := 0
	for i < len(args) {
		v := args[i].Value
		switch {
		case v == "-H" || v == "-L" || v == "-P" || strings.HasPrefix(v, "-O"):
			i++
			continue
		case v == "-D":
			i += 2
			continue
		}
		break
	}
	var roots []Word
	for i < len(args) {
		v := args[i].Value
		if strings.HasPrefix(v, "-") || v == "(" || v == "!" || v == "," {
			break
		}
		roots = append(roots, args[i])
		i++
	}
	deletes := false
	for ; i < len(args); i++ {
		switch args[i].Value {
		case "-delete":
			deletes = true
		case "-depth", "-xdev", "-mount", "-noleaf", "-ignore_readdir_race", "-noignore_readdir_race",
			"-print", "-print0", "-daystart", "-follow", "-nowarn", "-warn":
		case "-type", "-xtype", "-mindepth", "-maxdepth":
			i++
		case "-exec", "-execdir":
			if i+1 >= len(args) || !args[i+1].Literal || baseName(args[i+1].Value) != "rm" {
				return nil
			}
			deletes = true
			for i++; i < len(args) && args[i].Value != ";" && args[i].Value != "+"; i++ {
			}
		default:
			return nil
		}
	}
	if !deletes {
		return nil
	}
	if len(roots) == 0 {
		roots = []Word{litWord(".", c.End, c.End)}
	}
	return roots
}

// covers reports whether r deletes target (an absolute path; a "*"
// segment in target stands for an arbitrary entry).
func (r removal) covers(target string) bool {
	for t := target; ; t = path.Dir(t) {
		if ok, err := path.Match(r.pattern, t); err == nil && ok {
			return true
		}
		if !r.recursive || t == "/" || t == "." {
			return false
		}
	}
}

// after reports whether c comes after ref in the script (always true when
// ref is nil).
func (c *Command) after(ref *Command) bool {
	return ref == nil || (c != ref && c.Pos.Offset > ref.Pos.Offset)
}

// RemovesPath reports whether a command after the command after (anywhere
// when after is nil) deletes p or one of its ancestors: rm -r/-R/
// --recursive removes a matching path and everything below it; rm
// without -r (and unlink) only a path matched exactly; find DIR ... -delete
// or -exec rm everything below DIR (when no test other than -type,
// -mindepth and -maxdepth narrows it). Operands may be globs
// (rm -rf /var/lib/apt/lists/* covers /var/lib/apt/lists/partial) and bash
// brace lists; relative operands are resolved against Command.Dir. p must
// be absolute (a leading ~ is expanded with the home directory); a "*"
// segment in p stands for an arbitrary entry, so "/var/cache/apk/*" asks
// whether the directory's contents are deleted.
func (s *Script) RemovesPath(p string, after *Command) bool {
	target := expandHome(p, s.home)
	if !path.IsAbs(target) {
		return false
	}
	target = path.Clean(target)
	for _, r := range s.removals {
		if r.cmd.after(after) && r.covers(target) {
			return true
		}
	}
	return false
}

func expandHome(p, home string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home == "" {
			return ""
		}
		return home + p[1:]
	}
	return p
}

// Cache names a package-manager cache checked by Script.Cleans.
type Cache string

// Caches known to Script.Cleans.
const (
	// CacheAptLists is /var/lib/apt/lists (apt-get update).
	CacheAptLists Cache = "apt-lists"
	// CacheAptArchives is /var/cache/apt/archives (downloaded .deb files).
	CacheAptArchives Cache = "apt-archives"
	// CacheApk is /var/cache/apk.
	CacheApk Cache = "apk"
	// CacheYum is /var/cache/yum.
	CacheYum Cache = "yum"
	// CacheDnf is /var/cache/dnf (and /var/cache/yum, used by microdnf).
	CacheDnf Cache = "dnf"
	// CacheZypper is /var/cache/zypp.
	CacheZypper Cache = "zypper"
	// CacheNpm is ~/.npm/_cacache.
	CacheNpm Cache = "npm"
	// CacheYarn is yarn's cache folder.
	CacheYarn Cache = "yarn"
	// CachePip is ~/.cache/pip.
	CachePip Cache = "pip"
	// CacheGem is the downloaded .gem cache of gem and bundler.
	CacheGem Cache = "gem"
	// CacheComposer is composer's cache directory.
	CacheComposer Cache = "composer"
	// CacheGo is the Go build and module caches.
	CacheGo Cache = "go"
)

// cleaner is a package-manager command that empties a cache.
type cleaner struct {
	managers []Manager
	verbs    []string
	operand  string   // operand that must be present ("all"), "" for none
	flags    []string // one of these options must be present, if any
}

func (cl cleaner) matches(op *PackageOp) bool {
	if !op.Is(ActionClean, cl.managers...) {
		return false
	}
	ok := false
	for _, v := range cl.verbs {
		ok = ok || op.Verb == v
	}
	if !ok {
		return false
	}
	if cl.operand != "" {
		found := false
		for _, w := range op.Operands {
			found = found || w.Value == cl.operand
		}
		if !found {
			return false
		}
	}
	return len(cl.flags) == 0 || op.HasFlag(cl.flags...)
}

// cacheSpec describes how a cache is filled and emptied.
type cacheSpec struct {
	// paths are the cache contents ("*" = any entry); a leading ~ is the
	// home directory.
	paths    []string
	cleaners []cleaner
	// fillers: operations of these managers with these actions write to
	// the cache (unless they run with NoCache).
	fillers     []Manager
	fillActions []Action
}

var installLike = []Action{ActionInstall, ActionUpdate, ActionUpgrade}

var aptFamily = []Manager{AptGet, Apt, Aptitude}

// caches is read-only after initialisation.
var caches = map[Cache]cacheSpec{
	CacheAptLists: {
		paths:    []string{"/var/lib/apt/lists/*"},
		cleaners: []cleaner{{managers: aptFamily, verbs: []string{"distclean", "dist-clean"}}},
		fillers:  aptFamily, fillActions: installLike,
	},
	CacheAptArchives: {
		paths:    []string{"/var/cache/apt/archives/*.deb"},
		cleaners: []cleaner{{managers: aptFamily, verbs: []string{"clean", "distclean", "dist-clean"}}},
		fillers:  aptFamily, fillActions: []Action{ActionInstall, ActionUpgrade},
	},
	CacheApk: {
		paths:    []string{"/var/cache/apk/*"},
		cleaners: []cleaner{{managers: []Manager{Apk}, verbs: []string{"cache clean", "cache purge"}}},
		fillers:  []Manager{Apk}, fillActions: installLike,
	},
	CacheYum: {
		paths:    []string{"/var/cache/yum/*"},
		cleaners: []cleaner{{managers: []Manager{Yum}, verbs: []string{"clean"}, operand: "all"}},
		fillers:  []Manager{Yum}, fillActions: installLike,
	},
	CacheDnf: {
		paths:    []string{"/var/cache/dnf/*", "/var/cache/yum/*"},
		cleaners: []cleaner{{managers: []Manager{Dnf, Microdnf}, verbs: []string{"clean"}, operand: "all"}},
		fillers:  []Manager{Dnf, Microdnf}, fillActions: installLike,
	},
	CacheZypper: {
		paths:    []string{"/var/cache/zypp/*"},
		cleaners: []cleaner{{managers: []Manager{Zypper}, verbs: []string{"clean", "cc"}}},
		fillers:  []Manager{Zypper}, fillActions: installLike,
	},
	CacheNpm: {
		paths: []string{"~/.npm/_cacache/*"},
		cleaners: []cleaner{{managers: []Manager{Npm}, verbs: []string{"cache clean"}, flags: []string{"--force", "-f"}},
			// npm cache clear and npm cache rm are older aliases that did
			// not ask for --force.
			{managers: []Manager{Npm}, verbs: []string{"cache clear", "cache rm"}}},
		fillers: []Manager{Npm}, fillActions: installLike,
	},
	CacheYarn: {
		paths:    []string{"/usr/local/share/.cache/yarn/*", "~/.cache/yarn/*"},
		cleaners: []cleaner{{managers: []Manager{Yarn}, verbs: []string{"cache clean"}}},
		fillers:  []Manager{Yarn}, fillActions: installLike,
	},
	CachePip: {
		paths:    []string{"~/.cache/pip/*"},
		cleaners: []cleaner{{managers: []Manager{Pip}, verbs: []string{"cache purge"}}},
		fillers:  []Manager{Pip}, fillActions: []Action{ActionInstall, ActionUpgrade, ActionDownload},
	},
	CacheGem: {
		paths:   []string{"/usr/local/bundle/cache/*", "~/.gem/*", "~/.local/share/gem/*"},
		fillers: []Manager{Gem, Bundle}, fillActions: installLike,
	},
	CacheComposer: {
		paths:    []string{"~/.composer/cache/*", "~/.cache/composer/*"},
		cleaners: []cleaner{{managers: []Manager{Composer}, verbs: []string{"clear-cache", "clearcache", "cc"}}},
		fillers:  []Manager{Composer}, fillActions: installLike,
	},
	CacheGo: {
		paths:    []string{"~/.cache/go-build/*", "/go/pkg/mod/*", "~/go/pkg/mod/*"},
		cleaners: []cleaner{{managers: []Manager{Go}, verbs: []string{"clean"}, flags: []string{"-cache", "-modcache"}}},
		fillers:  []Manager{Go}, fillActions: []Action{ActionInstall, ActionDownload},
	},
}

// Cleans reports whether a command after the command after (anywhere when
// after is nil) empties cache: either a cleaning subcommand (apt-get
// clean, yum clean all, npm cache clean --force, ...) or the deletion of
// the cache directory or its contents (see RemovesPath).
func (s *Script) Cleans(cache Cache, after *Command) bool {
	spec, ok := caches[cache]
	if !ok {
		return false
	}
	for _, op := range s.ops {
		if !op.Command.after(after) {
			continue
		}
		for _, cl := range spec.cleaners {
			if cl.matches(op) {
				return true
			}
		}
	}
	for _, p := range spec.paths {
		if s.RemovesPath(p, after) {
			return true
		}
	}
	return false
}

// LastFill returns the last command that writes to cache (an install,
// update or upgrade by the cache's package manager that does not run with
// NoCache), or nil.
func (s *Script) LastFill(cache Cache) *Command {
	spec := caches[cache]
	var last *Command
	for _, op := range s.ops {
		if op.NoCache() {
			continue
		}
		for _, a := range spec.fillActions {
			if op.Is(a, spec.fillers...) {
				last = op.Command
			}
		}
	}
	return last
}

// cleansAfterFill reports whether cache is emptied after the last command
// that fills it (anywhere when nothing fills it).
func (s *Script) cleansAfterFill(cache Cache) bool { return s.Cleans(cache, s.LastFill(cache)) }

// CleansAptLists reports whether /var/lib/apt/lists is emptied after the
// last apt-get/apt/aptitude update, install or upgrade (rm -rf
// /var/lib/apt/lists/*, apt-get distclean).
func (s *Script) CleansAptLists() bool { return s.cleansAfterFill(CacheAptLists) }

// CleansAptCache reports whether the downloaded .deb archives are removed
// after the last apt install or upgrade (apt-get clean, rm -rf
// /var/cache/apt/archives/*.deb or an ancestor).
func (s *Script) CleansAptCache() bool { return s.cleansAfterFill(CacheAptArchives) }

// CleansApkCache reports whether /var/cache/apk is emptied after the last
// apk add/update/upgrade run without --no-cache (apk cache clean|purge,
// rm -rf /var/cache/apk/*).
func (s *Script) CleansApkCache() bool { return s.cleansAfterFill(CacheApk) }

// CleansYumCache reports whether the yum cache is emptied after the last
// yum install/update (yum clean all, rm -rf /var/cache/yum).
func (s *Script) CleansYumCache() bool { return s.cleansAfterFill(CacheYum) }

// CleansDnfCache reports whether the dnf/microdnf cache is emptied after
// the last dnf or microdnf install/upgrade (dnf clean all, microdnf clean
// all, rm -rf /var/cache/dnf or /var/cache/yum).
func (s *Script) CleansDnfCache() bool { return s.cleansAfterFill(CacheDnf) }

// CleansZypperCache reports whether the zypper cache is emptied after the
// last zypper install/refresh/update (zypper clean|cc, rm -rf
// /var/cache/zypp).
func (s *Script) CleansZypperCache() bool { return s.cleansAfterFill(CacheZypper) }

// CleansNpmCache reports whether the npm cache is emptied after the last
// npm install (npm cache clean --force, rm -rf ~/.npm).
func (s *Script) CleansNpmCache() bool { return s.cleansAfterFill(CacheNpm) }

// CleansYarnCache reports whether the yarn cache is emptied after the
// last yarn install (yarn cache clean, or removing its folder).
func (s *Script) CleansYarnCache() bool { return s.cleansAfterFill(CacheYarn) }

// CleansPipCache reports whether the pip cache is emptied after the last
// pip install run without --no-cache-dir (pip cache purge, rm -rf
// ~/.cache/pip).
func (s *Script) CleansPipCache() bool { return s.cleansAfterFill(CachePip) }

// CleansGemCache reports whether the downloaded gem cache is removed after
// the last gem/bundle install (rm -rf /usr/local/bundle/cache, ~/.gem,
// ~/.local/share/gem).
func (s *Script) CleansGemCache() bool { return s.cleansAfterFill(CacheGem) }

// CleansComposerCache reports whether composer's cache is emptied after
// the last composer install (composer clear-cache, or removing it).
func (s *Script) CleansComposerCache() bool { return s.cleansAfterFill(CacheComposer) }

// CleansGoCache reports whether the Go build/module caches are emptied
// after the last go install/get/mod download (go clean -cache|-modcache,
// or removing them).
func (s *Script) CleansGoCache() bool { return s.cleansAfterFill(CacheGo) }
