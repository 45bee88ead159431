package rules

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3042 reports pip install that keeps its download cache.
var DL3042 = &Rule{
	ID:        "DL3042",
	Name:      "pip-no-cache-dir",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: vocab.SizeCleanCaches,
	Doc: Doc{
		Summary: "Avoid use of cache directory with pip: use pip install --no-cache-dir <package>.",
		Why: "pip keeps every downloaded wheel in ~/.cache/pip. In an image the cache is never " +
			"reused and only adds size. Use --no-cache-dir, set PIP_NO_CACHE_DIR=1 (ENV, ARG or in " +
			"the RUN), or mount a BuildKit cache on the pip cache directory. Build stages nothing " +
			"ships from are not reported.",
		Bad:  "RUN pip install flask==3.0.3",
		Good: "RUN pip install --no-cache-dir flask==3.0.3",
		Deviation: "hadolint reports every stage; strata leaves out build stages nothing ships from " +
			"(only read by COPY --from), whose cache never reaches an image, and the instructions " +
			"before the first FROM unless the file has no FROM at all.",
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
