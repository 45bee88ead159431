package rules

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// Rules for language package managers: pip, npm, yarn and go.

// vcsSchemes are the pip VCS URL prefixes (vcs+protocol://).
var vcsSchemes = []string{"git+", "hg+", "svn+", "bzr+", "git://", "svn://"}

// pipInstall selects pip install invocations that name packages to
// resolve: installs from requirement or constraint files and of the
// current project are left alone, as in hadolint.
func pipInstall(op *shellOp) bool {
	if !op.Is(shell.ActionInstall, shell.Pip) || op.Verb != "install" {
		return false
	}
	if op.HasFlag("-r", "--requirement", "-c", "--constraint") {
		return false
	}
	for _, w := range op.Operands {
		if w.Value == "." {
			return false
		}
	}
	return true
}

// pipPinned judges a pip install operand: a version specifier, a local
// file or directory, a direct reference (name @ url), a plain URL, or a
// VCS URL with a revision (git+https://host/repo@v1.2).
func pipPinned(_ *shellOp, pk shell.Package) bool {
	if pk.Version != "" || pk.Local {
		return true
	}
	raw := pk.Raw
	isVCS := false
	for _, s := range vcsSchemes {
		isVCS = isVCS || strings.HasPrefix(raw, s)
	}
	if !isVCS {
		return pk.URL || strings.Contains(raw, "/")
	}
	// Look for @revision in the path: after the host (and any user@).
	rest := raw
	if _, after, ok := strings.Cut(raw, "://"); ok {
		rest = after
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest = rest[i:]
	}
	rest, _, _ = strings.Cut(rest, "#")
	return strings.Contains(rest, "@")
}

// DL3013 reports pip install of packages without a version.
var DL3013 = &Rule{
	ID:       "DL3013",
	Name:     "pip-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Pin versions in pip: use pip install <package>==<version> or pip install --requirement <file>.",
		Why: "Without a version pip installs the newest release on the day of the build, so " +
			"rebuilds are not repeatable and can break. Pin with a version specifier, or install " +
			"from a requirements or constraints file. Local paths, archives and VCS URLs with a " +
			"revision count as pinned.",
		Bad:  "RUN pip install --no-cache-dir flask",
		Good: "RUN pip install --no-cache-dir flask==3.0.3",
	},
	Check: pinCheck(pipInstall, pipPinned,
		"Pin versions in pip: use pip install <package>==<version> or pip install --requirement <requirements file>"),
}

// npmInstall selects npm install (and its aliases i and add).
func npmInstall(op *shellOp) bool {
	return op.Is(shell.ActionInstall, shell.Npm) && verbIn(op, "install", "i", "add")
}

// npmPinned judges an npm install operand: name@version (a tag counts,
// as in hadolint), a local folder or tarball, or a git URL or shorthand
// with a #commit or #semver: reference.
func npmPinned(_ *shellOp, pk shell.Package) bool {
	if pk.Version != "" || pk.Local {
		return true
	}
	if pk.URL {
		return strings.Contains(pk.Raw, "#") || hasSuffixAny(pk.Raw, ".tgz", ".tar.gz", ".tar")
	}
	return false
}

func hasSuffixAny(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// DL3016 reports npm install of packages without a version.
var DL3016 = &Rule{
	ID:       "DL3016",
	Name:     "npm-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Pin versions in npm: use npm install <package>@<version>.",
		Why: "Without a version npm installs the newest release on the day of the build, so " +
			"rebuilds are not repeatable. Pin with @version, or install the project's locked " +
			"dependencies (npm ci, or npm install without package names).",
		Bad:  "RUN npm install -g typescript",
		Good: "RUN npm install -g typescript@5.4.5",
	},
	Check: pinCheck(npmInstall, npmPinned, "Pin versions in npm: use npm install <package>@<version>"),
}

// pipNoCacheEnv reports whether PIP_NO_CACHE_DIR is set to a true value
// by an ENV of the stage (or of the stages it is built on) or an ARG
// default before the RUN.
func pipNoCacheEnv(r shRun) bool {
	v, ok := r.vars.lookup("PIP_NO_CACHE_DIR")
	return ok && isTruthy(v)
}

func isTruthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// DL3042 reports pip install that keeps its download cache.
var DL3042 = &Rule{
	ID:        "DL3042",
	Name:      "pip-no-cache-dir",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: SizeCleanCaches,
	Doc: Doc{
		Summary: "Avoid use of cache directory with pip: use pip install --no-cache-dir <package>.",
		Why: "pip keeps every downloaded wheel in ~/.cache/pip. In an image the cache is never " +
			"reused and only adds size. Use --no-cache-dir, set PIP_NO_CACHE_DIR=1 (ENV, ARG or in " +
			"the RUN), or mount a BuildKit cache on the pip cache directory. Build stages nothing " +
			"ships from are not reported.",
		Bad:  "RUN pip install flask==3.0.3",
		Good: "RUN pip install --no-cache-dir flask==3.0.3",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			if !r.ships(p.File) || pipCacheMounted(r) {
				continue
			}
			found := false
			var rs *edit.Script
			var edits []scriptEdit
			for _, op := range r.ops(shell.ActionInstall, shell.Pip) {
				if op.Verb != "install" || op.NoCache() || strings.Contains(op.script.Source, "PIP_NO_CACHE_DIR=") && pipNoCacheInText(op.script.Source) {
					continue
				}
				if op.script.Cleans(shell.CachePip, op.Command) {
					continue
				}
				found = true
				if w := verbWord(op.PackageOp); w >= 0 && (rs == nil || rs == op.script) {
					rs = op.script
					edits = append(edits, insertAfterWord(op.Command.ArgWords[w], " --no-cache-dir"))
				}
			}
			if !found || pipNoCacheEnv(r) {
				continue
			}
			var fix *edit.Fix
			if rs != nil {
				fix = scriptFix(p.File, r, rs, "add --no-cache-dir to pip install", false, func(s *shell.Script) bool {
					for _, op := range s.PackageOpsFor(shell.ActionInstall, shell.Pip) {
						if op.Verb == "install" && !op.NoCache() {
							return false
						}
					}
					return true
				}, edits...)
			}
			p.ReportFix(r.outer, fix, "%sAvoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`", r.prefix())
		}
		return nil
	},
}

// pipNoCacheInText reports whether the script sets PIP_NO_CACHE_DIR to a
// true value anywhere (a plain assignment read by a later export, for
// instance), as hadolint accepts.
func pipNoCacheInText(src string) bool {
	for rest := src; ; {
		i := strings.Index(rest, "PIP_NO_CACHE_DIR=")
		if i < 0 {
			return false
		}
		rest = rest[i+len("PIP_NO_CACHE_DIR="):]
		v := rest
		if j := strings.IndexAny(v, " \t\n;&|"); j >= 0 {
			v = v[:j]
		}
		if isTruthy(strings.Trim(v, `"'`)) {
			return true
		}
	}
}

// pipCacheMounted reports whether the RUN mounts a cache or tmpfs on a
// pip cache directory.
func pipCacheMounted(r shRun) bool {
	for _, m := range r.mounts() {
		if m.Type != "cache" && m.Type != "tmpfs" {
			continue
		}
		t := path.Clean("/" + strings.Trim(m.Target, `"'`))
		if strings.HasSuffix(t, "/.cache/pip") || strings.HasSuffix(t, "/.cache") || path.Base(t) == "pip" {
			return true
		}
	}
	return false
}

// yarnInstall selects yarn invocations that fill its cache: yarn install,
// yarn add and a bare yarn.
func yarnInstall(op *shellOp) bool {
	return op.Is(shell.ActionInstall, shell.Yarn) && verbIn(op, "install", "add", "", "global add")
}

// DL3060 reports yarn install without yarn cache clean.
var DL3060 = &Rule{
	ID:        "DL3060",
	Name:      "yarn-cache-clean",
	Severity:  vocab.Info,
	Category:  vocab.Size,
	Checklist: SizeCleanCaches,
	Doc: Doc{
		Summary: "yarn cache clean missing after yarn install was run.",
		Why: "yarn keeps a copy of every package it downloads in its cache folder. In an image " +
			"the cache is never reused and only adds size. Run yarn cache clean in the same RUN or " +
			"use a BuildKit cache mount. Build stages nothing ships from are not reported.",
		Bad:  "RUN yarn install --frozen-lockfile",
		Good: "RUN yarn install --frozen-lockfile && yarn cache clean",
	},
	// Like hadolint, any cache mount is taken to hold yarn's cache: its
	// folder is configurable.
	Check: cleanCheck(cleanSpec{
		fills:         yarnInstall,
		cleaned:       func(s *shell.Script) bool { return s.CleansYarnCache() },
		anyCacheMount: true,
		command:       "yarn cache clean",
		msg:           "`yarn cache clean` missing after `yarn install` was run",
	}),
}

// anyCacheMount reports whether an instruction (or the RUN an ONBUILD
// triggers) mounts a BuildKit cache.
func anyCacheMount(in *dockerfile.Instruction) bool {
	if in.Trigger != nil {
		in = in.Trigger
	}
	for _, m := range in.Mounts() {
		if m.Type == "cache" {
			return true
		}
	}
	return false
}

// goPinned judges a go install/get/run operand: module@version with a
// version other than latest or none, a local path or a .go file.
func goPinned(_ *shellOp, pk shell.Package) bool {
	raw := pk.Raw
	if pk.Local || raw == "." || strings.HasPrefix(raw, ".") || strings.HasPrefix(raw, "/") || strings.HasSuffix(raw, ".go") {
		return true
	}
	if pk.Version == "" {
		return false
	}
	return pk.Version != "latest" && pk.Version != "none"
}

// DL3062 reports go install, go get and go run of modules without a
// version.
var DL3062 = &Rule{
	ID:       "DL3062",
	Name:     "go-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Pin versions in go install: use go install <package>@<version>.",
		Why: "Without a version (or with @latest) go install fetches whatever the module's newest " +
			"release is on the day of the build, so rebuilds are not repeatable. Pin with " +
			"@vX.Y.Z or a commit. Local packages (., ./cmd/x) are built from the context and are " +
			"not reported.",
		Bad:  "RUN go install golang.org/x/tools/gopls@latest",
		Good: "RUN go install golang.org/x/tools/gopls@v0.15.3",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			var loose []string
			for _, op := range r.ops("", shell.Go) {
				var pkgs []shell.Package
				switch {
				case op.Is(shell.ActionInstall) && verbIn(op, "install", "get"):
					pkgs = packagesOf(op.PackageOp, r.vars)
				case op.Verb == "run":
					// Only the first operand is the package; the rest
					// are the program's arguments.
					if len(op.Operands) > 0 {
						if pk, ok := parsePackage(shell.Go, op.Operands[0].Value); ok && op.Operands[0].Literal {
							pkgs = append(pkgs, pk)
						}
					}
				}
				for _, pk := range pkgs {
					if !goPinned(op, pk) {
						loose = append(loose, pk.Raw)
					}
				}
			}
			if len(loose) > 0 {
				p.Report(r.outer, "%sPin versions in go: use go install <package>@<version> (unpinned: %s)", r.prefix(), listNames(loose, 5))
			}
		}
		return nil
	},
}
