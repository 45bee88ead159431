package rules

import (
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/fix/plan"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// SD402 reports files, caches or packages removed in a later RUN than the
// one that created them.
var SD402 = &Rule{
	ID:        "SD402",
	Name:      "cleanup-in-later-layer",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: vocab.SizeSameLayerCleanup,
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
			"that removes them with && when only RUNs with the same flags lie between. Files " +
			"copied from the build context that weigh less than 1 MiB (an install script, a " +
			"notice) are not reported: the layer keeps them, but it is not worth a line.",
		Bad:  "RUN apk add --no-cache gcc musl-dev\nRUN pip install --no-cache-dir flask\nRUN apk del gcc musl-dev",
		Good: "RUN apk add --no-cache --virtual .build-deps gcc musl-dev \\\n && pip install --no-cache-dir flask \\\n && apk del .build-deps",
	},
	Check: func(p *Pass) error {
		sdSequences(p.File, func(st *dockerfile.Stage, seq []sdItem, own func(sdItem) bool) {
			trig := len(seq) > 0 && seq[0].in != seq[0].outer
			// A sequence's stages up to the last one the final image is
			// built FROM are judged; the others only ever follow them.
			if len(seq) == 0 || trig || !p.File.Inherited(seq[0].outer.Stage) {
				return
			}
			filled := map[shell.Cache]int{}
			installed := map[string]int{}
			created := map[string]int{}
			// copiedBy is the COPY or ADD that created a path; whether
			// it copied less than minRemoved bytes (read from the build
			// context) is looked up only for a path a RUN removes.
			copiedBy := map[string]*dockerfile.Instruction{}
			tinyCopy := map[*dockerfile.Instruction]bool{}
			small := func(pth string) bool {
				in := copiedBy[pth]
				if in == nil {
					return false
				}
				tiny, ok := tinyCopy[in]
				if !ok {
					tiny = copiedBytes(p.Context, in) < minRemoved
					tinyCopy[in] = tiny
				}
				return tiny
			}
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
						copiedBy[d] = in
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
						if line := created[pth]; line > 0 && rs.RemovesPath(pth, nil) && !small(pth) {
							found = append(found, fmt.Sprintf("%s (created on line %d)", pth, line))
							origins = append(origins, plan.Origin{Line: line})
						}
					}
				}
				if len(found) > 0 && own(it) && p.File.Inherited(it.outer.Stage) {
					p.ReportFix(it.outer, plan.Later(planInput{p}, it.outer.Stage, it.outer, origins), "%sRUN removes %s, which an earlier layer already holds: the image is no smaller; remove them in the RUN that made them (or keep them out with a build stage or mount)", onbuildPrefix(it), vocab.JoinAnd(dedupeStrings(found)))
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
							delete(copiedBy, d.path)
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

// minRemoved is the size below which a file copied in and removed later
// is not worth a finding (an install script, a notice, the placeholder
// that keeps an optional COPY from failing): the layer holds it, but
// a few kilobytes.
const minRemoved = 1 << 20

// copiedBytes returns how many bytes a COPY or ADD from the build context
// puts into the image, or minRemoved when it cannot tell (a URL, another
// stage, an archive ADD unpacks, an unknown context).
func copiedBytes(bc *BuildContext, in *dockerfile.Instruction) int64 {
	if !fromContext(in) || !bc.Known() {
		return minRemoved
	}
	var total int64
	for _, s := range copySources(in) {
		s = dockerfile.TrimQuotes(s)
		if sdRemoteSource(s) || dockerfile.HasVariable(s) || in.Cmd == "add" && isArchiveName(s) {
			return minRemoved
		}
		rel := cleanRel(s)
		matches := []string{rel}
		if strings.ContainsAny(rel, "*?[") {
			m, err := filepath.Glob(filepath.Join(bc.Dir, filepath.FromSlash(rel)))
			if err != nil {
				return minRemoved
			}
			matches = matches[:0]
			for _, x := range m {
				if r, err := filepath.Rel(bc.Dir, x); err == nil {
					matches = append(matches, filepath.ToSlash(r))
				}
			}
		}
		for _, m := range matches {
			n, ok := treeSize(filepath.Join(bc.Dir, filepath.FromSlash(m)), minRemoved)
			if !ok {
				return minRemoved
			}
			total += n
			if total >= minRemoved {
				return total
			}
		}
	}
	return total
}

// treeSize returns the bytes of the files under p, stopping at limit; ok
// is false when p cannot be read.
func treeSize(p string, limit int64) (int64, bool) {
	var total int64
	err := filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				total += fi.Size()
			}
		}
		if total >= limit {
			return filepath.SkipAll
		}
		return nil
	})
	return total, err == nil
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
