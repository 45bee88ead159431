package estimate

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/estimate/deb"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// The model of what apt and dpkg leave in a layer besides the packages'
// files, calibrated on Debian 12 builds (debootstrap and Docker's
// images, overlay2): each figure is checked by the tests on the real
// Engine.
const (
	// pkgcacheRatio: apt's binary cache (pkgcache.bin; srcpkgcache.bin
	// is as large) against the uncompressed Packages files it indexes
	// (39.1 MB for Debian 12's 50.1 MB main).
	pkgcacheRatio = 0.78
	// pycRatio: the .pyc files py3compile writes when a Python package
	// is configured, against the package's Installed-Size.
	pycRatio = 0.8
	// slimRatio: what of a package a slim image's dpkg keeps, its
	// documentation, man pages and locales excluded.
	slimRatio = 0.92
	// installedRatio: the files' own sizes against Installed-Size, which
	// rounds each file up to a KiB and counts each directory as one.
	installedRatio = 0.96
	// dpkgPerPackage: dpkg's database files of a package (the file list,
	// checksums, scripts); statusPerPackage its paragraph in the status
	// file, which each install rewrites (with its -old copy).
	dpkgPerPackage   = 12_000
	statusPerPackage = 900
	// aptLogs, aptLogPerPackage: the logs apt and dpkg append to.
	aptLogs          = 50_000
	aptLogPerPackage = 1_000
	// debconfDefault: debconf's caches, rewritten when a package is
	// configured, when the base's are not known.
	debconfDefault = 800_000
)

// debIndex loads the package index of the stage's apt sources, once per
// set of sources; nil with the reason when it cannot be had.
func (r *run) debIndex(ctx context.Context, s *stageState) (*deb.Loaded, string, error) {
	var sources []deb.Source
	if s.facts != nil && s.facts.FilesRead {
		sources = s.facts.AptSources
	} else {
		sources = assumedSources(s.os)
	}
	if len(sources) == 0 {
		if !s.os.IsDebian() && s.os.ID != "" {
			return nil, fmt.Sprintf("the base image is %s, not Debian or Ubuntu", s.os.ID), nil
		}
		return nil, "the base image's apt sources are not known", nil
	}
	if r.e.Deb == nil {
		return nil, "no Debian index source configured", nil
	}
	var keys []string
	for _, src := range sources {
		keys = append(keys, src.URI+" "+src.Suite+" "+strings.Join(src.Components, ","))
	}
	sort.Strings(keys)
	key := strings.Join(keys, "|") + fmt.Sprintf("|%v|%v", s.deb.cfg.GzipIndexes, s.deb.cfg.NoLanguages)
	if l, ok := r.debs[key]; ok {
		return l, "", nil
	}
	l, err := r.e.Deb.Load(ctx, sources, deb.ListOptions{GzipIndexes: s.deb.cfg.GzipIndexes, NoLanguages: s.deb.cfg.NoLanguages})
	if err != nil {
		return nil, "", err
	}
	var failed []string
	for _, su := range l.Suites {
		if su.Err != nil {
			failed = append(failed, su.Err.Error())
		}
		if su.Stale {
			r.out.notef("the index of %s %s is the cached one of %s: the mirror did not answer", su.Source.URI, su.Source.Suite, su.Date.UTC().Format("2006-01-02"))
		}
	}
	if l.Index.Len() == 0 {
		r.debs[key] = nil
		return nil, "the package index could not be had: " + strings.Join(failed, "; "), nil
	}
	for _, f := range failed {
		r.out.unknownf("part of the package index: %s", f)
	}
	r.debs[key] = l
	return l, "", nil
}

// assumedInstalled is what a Debian base whose files were not read has
// installed: the Essential and required packages and apt (what
// debootstrap's minbase and Docker's Debian images hold).
func assumedInstalled(ix *deb.Index, names []string) *deb.Installed {
	in := deb.NewInstalled(nil)
	var seed []string
	for _, n := range names {
		p := ix.Lookup(n)
		if p != nil && (p.Essential || p.Priority == "required") {
			seed = append(seed, n)
		}
	}
	seed = append(seed, "apt")
	ix.Resolve(seed, in, false)
	return in
}

var reLibPython = lazyre.New(`^libpython3\.\d+-(stdlib|minimal)$`)
var rePython = lazyre.New(`^python3(\.\d+)?$`)

// byteCompiled reports whether dpkg's configuration of p byte-compiles
// Python modules (py3compile, run by packages depending on python3).
func byteCompiled(p *deb.Package) bool {
	if reLibPython.MatchString(p.Name) {
		return true
	}
	for _, g := range deb.Relations(p.Depends) {
		for _, a := range g {
			if rePython.MatchString(a.Name) {
				return true
			}
		}
	}
	return false
}

// apt estimates the apt-get (apt, aptitude) work of a RUN: package
// lists, packages and their dependencies, downloaded .deb files, apt's
// binary caches, dpkg's database and byte-compiled Python.
func (rc *runCtx) apt(ctx context.Context) error {
	var ops []*shell.PackageOp
	for _, op := range rc.sc.PackageOps() {
		if op.Is("", shell.AptGet, shell.Apt, shell.Aptitude) {
			ops = append(ops, op)
			rc.handled[op.Command] = true
		}
	}
	if len(ops) == 0 {
		return nil
	}
	s := rc.s
	line := rc.in.StartLine
	loaded, why, err := rc.r.debIndex(ctx, s)
	if err != nil {
		return err
	}
	if loaded != nil && s.deb.installed == nil {
		s.deb.installed = assumedInstalled(loaded.Index, allNames(loaded.Index))
		rc.r.out.notef("the packages of %s are assumed (its files were not read): the distribution's required packages and apt", s.facts.Ref)
	}
	var (
		autoRemove       bool
		updated, cleaned bool
		installs         int
		newPkgs          []*deb.Package
		requested        []string
		removedHere      = map[string]bool{}
		unknownNames     []string
		lastApt          *shell.Command
	)
	for _, op := range ops {
		lastApt = op.Command
		switch {
		case op.Action == shell.ActionUpdate:
			updated = true
		case op.Action == shell.ActionClean && strings.Contains(op.Verb, "clean") && op.Verb != "autoclean":
			cleaned = true
		case op.IsAptInstall():
			installs++
			var names []string
			for _, p := range op.Packages {
				switch {
				case !p.Literal || p.Local || p.URL:
					unknownNames = append(unknownNames, p.Raw)
				default:
					names = append(names, p.Name)
				}
			}
			if op.Verb == "build-dep" {
				unknownNames = append(unknownNames, "build-dep "+strings.Join(names, " "))
				continue
			}
			requested = append(requested, names...)
			if loaded == nil {
				unknownNames = append(unknownNames, names...)
				continue
			}
			recommends := !op.NoRecommends() && !s.deb.cfg.NoRecommends
			res := loaded.Index.Resolve(names, s.deb.installed, recommends)
			newPkgs = append(newPkgs, res.New...)
			for _, m := range res.Missing {
				rc.r.out.unknownf("line %d: %s is not in the package index (%s): apt cannot install it", line, m, loaded.Describe())
			}
			for _, n := range res.Notes {
				rc.r.out.notef("line %d: %s", line, n)
			}
		case op.Action == shell.ActionUpgrade:
			if loaded == nil {
				unknownNames = append(unknownNames, op.Verb)
				continue
			}
			up := upgrades(loaded.Index, s)
			newPkgs = append(newPkgs, up...)
			if len(up) > 0 {
				rc.r.out.notef("line %d: apt-get %s replaces %s the base has in older versions", line, op.Verb, plural(len(up), "package", "packages"))
			}
		case op.Action == shell.ActionRemove:
			for _, n := range op.PackageNames() {
				removedHere[n] = true
			}
			if op.Verb == "autoremove" || op.HasFlag("--auto-remove", "--autoremove") {
				autoRemove = true
			}
		}
	}
	if autoRemove {
		rc.autoRemoved(newPkgs, requested, removedHere)
	}
	// What apt downloaded stays in its archive even for packages removed
	// again, until apt-get clean.
	var downloaded int64
	for _, p := range newPkgs {
		downloaded += p.Size
	}
	// Packages installed and removed in this RUN leave nothing.
	if len(removedHere) > 0 {
		kept := newPkgs[:0]
		for _, p := range newPkgs {
			if removedHere[p.Name] {
				s.deb.installed.Remove(p.Name)
				continue
			}
			kept = append(kept, p)
		}
		newPkgs = kept
	}
	cfg := s.deb.cfg
	listsGone := rc.sc.CleansAptLists() || rc.mounted("/var/lib/apt/lists")
	archivesGone := cfg.CleansArchives || cleaned || rc.sc.CleansAptCache() || rc.mounted("/var/cache/apt/archives")
	cacheGone := cfg.NoPkgCache || cleaned || rc.sc.RemovesPath("/var/cache/apt/pkgcache.bin", lastApt) || rc.mounted("/var/cache/apt")
	src := "the package index"
	if loaded != nil {
		src = loaded.Describe()
	}
	if updated && !listsGone {
		if loaded != nil && loaded.ListsModelled() {
			rc.step.add(Part{What: "apt's package lists (/var/lib/apt/lists)", Size: Around(loaded.ListsSize(), 0.1, 0.1), Confidence: Modelled,
				Source: fmt.Sprintf("kept compressed: apt's lz4 copies, about %.3f × the index files' sizes in the Release files of %s", deb.LZ4Ratio, src), Note: "rm -rf /var/lib/apt/lists/* in the same RUN removes them"})
		} else if loaded != nil {
			rc.step.add(Part{What: "apt's package lists (/var/lib/apt/lists)", Size: Point(loaded.ListsSize()), Confidence: Declared,
				Source: "the index files' sizes in the Release files of " + src, Note: "rm -rf /var/lib/apt/lists/* in the same RUN removes them"})
		} else {
			rc.step.add(Part{What: "apt's package lists (/var/lib/apt/lists)", Size: Between(1e6, 60e6, 250e6), Confidence: Unknown, Source: "unknown: " + why})
		}
	}
	pkgcache := int64(0)
	if loaded != nil {
		pkgcache = int64(float64(loaded.PackagesSize) * pkgcacheRatio)
	}
	if !cacheGone && (updated || installs > 0) && (updated || s.deb.lists) {
		n, what := pkgcache, "apt's binary cache (/var/cache/apt/pkgcache.bin)"
		if updated {
			n, what = 2*pkgcache, "apt's binary caches (/var/cache/apt/pkgcache.bin and srcpkgcache.bin)"
		}
		if loaded != nil {
			rc.step.add(Part{What: what, Size: Around(n, 0.15, 0.15), Confidence: Modelled,
				Source: fmt.Sprintf("%.2f × the Packages files each (%s)", pkgcacheRatio, vocab.FormatSize(loaded.PackagesSize)),
				Note:   "apt rewrites pkgcache.bin in each layer that installs; apt-get clean removes both"})
		} else {
			rc.step.add(Part{What: what, Size: Between(0, 40e6, 100e6), Confidence: Unknown, Source: "unknown: " + why})
		}
	}
	if len(unknownNames) > 0 {
		rc.r.out.unknownf("line %d: packages %s: %s", line, clip(uniq(unknownNames), 5), orElse(why, "not literal or local files"))
		rc.step.add(Part{What: "packages " + clip(uniq(unknownNames), 5), Size: Between(0, int64(len(unknownNames))*20e6, int64(len(unknownNames))*300e6), Confidence: Unknown,
			Source: "unknown: " + orElse(why, "not literal package names")})
	}
	if len(newPkgs) > 0 {
		rc.packagesParts(newPkgs, requested, src)
	} else if installs > 0 && loaded != nil && s.deb.installed != nil {
		rc.dpkgPart(0)
	}
	if downloaded > 0 && !archivesGone {
		rc.step.add(Part{What: "downloaded .deb files (/var/cache/apt/archives)", Size: Point(downloaded), Confidence: Declared, Source: "the packages' sizes in " + src,
			Note: "apt-get clean in the same RUN removes them"})
	}
	s.deb.lists = (s.deb.lists || updated) && !listsGone
	return nil
}

// autoRemoved marks for removal what an autoremove in the same RUN
// takes away: after `apt-mark auto '.*'` every package this RUN
// installed but those marked manual again (by name; names found at build
// time, such as the libraries a program links, are a guessed part); else,
// when every requested package is purged, their dependencies too.
func (rc *runCtx) autoRemoved(newPkgs []*deb.Package, requested []string, removed map[string]bool) {
	markAuto, keep, unknownKeep := false, map[string]bool{}, false
	for _, c := range rc.sc.Find("apt-mark") {
		if len(c.Args) == 0 || c.InCmdSubst {
			continue
		}
		switch c.Args[0] {
		case "auto":
			markAuto = true
		case "manual":
			for _, w := range c.ArgWords[1:] {
				if w.Literal {
					keep[w.Value] = true
				} else {
					unknownKeep = true
				}
			}
		}
	}
	all := markAuto
	if !all {
		all = len(requested) > 0
		for _, r := range requested {
			if !removed[r] {
				all = false
			}
		}
	}
	if !all {
		return
	}
	var gone int64
	for _, p := range newPkgs {
		if !keep[p.Name] {
			removed[p.Name] = true
			gone += p.InstalledSize
		}
	}
	if unknownKeep && gone > 0 {
		rc.step.add(Part{What: "packages apt-mark keeps (found at build time)", Size: Between(0, gone/20, gone*3/10), Confidence: Guessed,
			Source: "apt-mark manual of names the RUN finds (the libraries its programs link): a few of the packages it removes"})
		rc.r.out.unknownf("line %d: which packages apt-mark keeps before the autoremove is found at build time (a range is given)", rc.in.StartLine)
	}
}

// packagesParts adds the parts of the packages an apt RUN installs.
func (rc *runCtx) packagesParts(newPkgs []*deb.Package, requested []string, src string) {
	s := rc.s
	var inst, py int64
	for _, p := range newPkgs {
		inst += p.InstalledSize
		if byteCompiled(p) {
			py += p.InstalledSize
		}
	}
	what := describePackages(newPkgs, requested)
	note := "Installed-Size rounds each file up to a KiB: the files take about 4% less"
	files := int64(float64(inst) * installedRatio)
	if s.deb.slim {
		files = int64(float64(files) * slimRatio)
		note += "; the base's dpkg leaves out documentation, man pages and locales (about 8%)"
	}
	conf := Declared
	if s.deb.assumed {
		note = strings.TrimPrefix(note+"; the base image's packages are assumed, not read", "; ")
	}
	rc.step.add(Part{What: what, Size: Around(files, 0.1, 0.05), Confidence: conf, Source: "Installed-Size in " + src, Note: note})
	if py > 0 {
		rc.step.add(Part{What: "byte-compiled Python (.pyc) of the Python packages", Size: Around(int64(float64(py)*pycRatio), 0.3, 0.3), Confidence: Modelled,
			Source: fmt.Sprintf("%.1f × the Installed-Size of the packages py3compile compiles (%s)", pycRatio, vocab.FormatSize(py))})
	}
	rc.dpkgPart(len(newPkgs))
}

// dpkgPart adds what dpkg, debconf and apt's logs write for an install
// of n packages (n = 0: installed and removed again).
func (rc *runCtx) dpkgPart(n int) {
	s := rc.s
	debconf := s.deb.debconf
	if debconf == 0 {
		debconf = debconfDefault
	}
	if !s.deb.configured {
		// The first configuration in the stage also writes debconf's
		// -old copies.
		debconf *= 2
		s.deb.configured = true
	}
	status := s.deb.statusSize
	if status == 0 {
		status = int64(s.deb.installed.Len()) * statusPerPackage
	}
	status += int64(n) * statusPerPackage
	meta := 2*status + int64(n)*(dpkgPerPackage+aptLogPerPackage) + debconf + aptLogs
	rc.step.add(Part{What: "dpkg's database, debconf and logs", Size: Around(meta, 0.5, 0.5), Confidence: Modelled,
		Source: "dpkg's status (rewritten with its -old copy), each package's file lists, debconf's caches"})
	s.deb.statusSize = status
}

// describePackages names the packages an install adds: the requested
// ones and how many more.
func describePackages(ps []*deb.Package, requested []string) string {
	req := map[string]bool{}
	for _, r := range requested {
		req[r] = true
	}
	var named []string
	for _, p := range ps {
		if req[p.Name] {
			named = append(named, p.Name)
		}
	}
	others := len(ps) - len(named)
	if len(named) == 0 {
		var all []string
		for _, p := range ps {
			all = append(all, p.Name)
		}
		return clip(all, 4)
	}
	s := clip(named, 4)
	if others > 0 {
		s += fmt.Sprintf(" and %s", plural(others, "dependency", "dependencies"))
	}
	return s
}

// upgrades are the installed packages the index has newer versions of.
func upgrades(ix *deb.Index, s *stageState) []*deb.Package {
	if s.facts == nil || !s.facts.FilesRead {
		return nil
	}
	var out []*deb.Package
	for _, p := range s.facts.Dpkg {
		if q := ix.Lookup(p.Name); q != nil && deb.CompareVersions(q.Version, p.Version) > 0 {
			out = append(out, q)
		}
	}
	return out
}

func allNames(ix *deb.Index) []string { return ix.Names() }

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
