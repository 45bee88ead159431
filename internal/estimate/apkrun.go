package estimate

import (
	"context"
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/estimate/apk"
	"github.com/stratatools/strata/internal/estimate/baseimage"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/shell"
)

// apkDB: what apk's database (/lib/apk/db) grows by per package, and
// once per RUN for its rewrite.
const (
	apkDBPerPackage = 3_000
	apkDBRewrite    = 50_000
)

// apkIndex loads the APKINDEX of the stage's repositories.
func (r *run) apkIndex(ctx context.Context, s *stageState) (*apk.Loaded, string, error) {
	var repos []string
	if s.facts != nil && s.facts.FilesRead {
		repos = s.facts.ApkRepos
	} else if s.os.IsAlpine() {
		repos = assumedApkRepos(s.facts)
	}
	if len(repos) == 0 {
		return nil, "the base image's apk repositories are not known (its files were not read)", nil
	}
	if r.e.Apk == nil {
		return nil, "no Alpine index source configured", nil
	}
	key := strings.Join(repos, "|")
	if l, ok := r.apks[key]; ok {
		if l == nil {
			return nil, "the APKINDEX could not be had", nil
		}
		return l, "", nil
	}
	l, err := r.e.Apk.Load(ctx, repos)
	if err != nil {
		return nil, "", err
	}
	var failed []string
	for _, ri := range l.Repos {
		if ri.Err != nil {
			failed = append(failed, ri.Err.Error())
		}
		if ri.Stale {
			r.out.notef("the APKINDEX of %s is the cached one of %s: the repository did not answer", ri.URL, ri.Fetched.UTC().Format("2006-01-02"))
		}
	}
	if l.Index.Len() == 0 {
		r.apks[key] = nil
		return nil, "the APKINDEX could not be had: " + strings.Join(failed, "; "), nil
	}
	for _, f := range failed {
		r.out.unknownf("part of the APKINDEX: %s", f)
	}
	r.apks[key] = l
	return l, "", nil
}

// apkAdd estimates apk add (and apk update, del) in a RUN.
func (rc *runCtx) apkAdd(ctx context.Context) error {
	var ops []*shell.PackageOp
	for _, op := range rc.sc.PackageOps() {
		if op.Manager == shell.Apk {
			ops = append(ops, op)
			rc.handled[op.Command] = true
		}
	}
	if len(ops) == 0 {
		return nil
	}
	s := rc.s
	loaded, why, err := rc.r.apkIndex(ctx, s)
	if err != nil {
		return err
	}
	if s.apk.installed == nil {
		s.apk.installed = apk.NewInstalled(nil)
		if loaded != nil {
			var base []string
			for _, n := range alpineBase {
				if loaded.Index.Lookup(n) != nil {
					base = append(base, n)
				}
			}
			loaded.Index.Resolve(base, s.apk.installed)
			rc.r.out.notef("the packages of %s are assumed (its files were not read): Alpine's base packages", s.facts.Ref)
		}
	}
	var (
		newPkgs     []*apk.Package
		requested   []string
		unknown     []string
		writesIndex bool
		virtualOf   = map[string][]*apk.Package{}
		removedHere = map[string]bool{}
	)
	for _, op := range ops {
		switch op.Action {
		case shell.ActionUpdate:
			writesIndex = true
		case shell.ActionInstall:
			if !op.NoCache() {
				writesIndex = true
			}
			var names []string
			for _, p := range op.Packages {
				if !p.Literal || p.Local || p.URL {
					unknown = append(unknown, p.Raw)
					continue
				}
				names = append(names, p.Name)
			}
			requested = append(requested, names...)
			if loaded == nil {
				unknown = append(unknown, names...)
				continue
			}
			res := loaded.Index.Resolve(names, s.apk.installed)
			newPkgs = append(newPkgs, res.New...)
			if v, ok := op.FlagValue("-t", "--virtual"); ok {
				virtualOf[v] = res.New
			}
			for _, m := range res.Missing {
				rc.r.out.unknownf("line %d: %s is not in the APKINDEX: apk cannot install it", rc.in.StartLine, m)
			}
		case shell.ActionRemove:
			for _, n := range op.PackageNames() {
				removedHere[n] = true
				for _, p := range virtualOf[n] {
					removedHere[p.Name] = true
				}
			}
		case shell.ActionUpgrade:
			unknown = append(unknown, "apk upgrade")
		}
	}
	kept := newPkgs[:0]
	for _, p := range newPkgs {
		if !removedHere[p.Name] {
			kept = append(kept, p)
		}
	}
	newPkgs = kept
	if len(unknown) > 0 {
		rc.r.out.unknownf("line %d: apk packages %s: %s", rc.in.StartLine, clip(uniq(unknown), 5), orElse(why, "not literal"))
		rc.step.add(Part{What: "apk packages " + clip(uniq(unknown), 5), Size: Between(0, int64(len(unknown))*5e6, int64(len(unknown))*200e6), Confidence: Unknown, Source: "unknown: " + orElse(why, "not literal package names")})
	}
	if len(newPkgs) > 0 {
		var inst int64
		for _, p := range newPkgs {
			inst += p.InstalledSize
		}
		names := map[string]bool{}
		for _, r := range requested {
			names[r] = true
		}
		var named []string
		for _, p := range newPkgs {
			if names[p.Name] {
				named = append(named, p.Name)
			}
		}
		what := plural(len(newPkgs), "package", "packages")
		if len(named) > 0 {
			what = clip(named, 4)
			if n := len(newPkgs) - len(named); n > 0 {
				what += " and " + plural(n, "dependency", "dependencies")
			}
		}
		rc.step.add(Part{What: what, Size: Around(inst, 0.05, 0.05), Confidence: Declared, Source: fmt.Sprintf("installed sizes in the APKINDEX of %s", clip(repoNames(loaded), 2))})
		rc.step.add(Part{What: "apk's database (/lib/apk/db)", Size: Around(apkDBRewrite+int64(len(newPkgs))*apkDBPerPackage, 0.5, 0.5), Confidence: Modelled, Source: "apk's installed database, rewritten with each package's file list"})
	}
	if writesIndex && !rc.sc.CleansApkCache() && !rc.mounted("/var/cache/apk") && !s.apk.cached {
		if loaded != nil {
			rc.step.add(Part{What: "apk's index cache (/var/cache/apk)", Size: Point(loaded.IndexSize()), Confidence: Declared, Source: "the APKINDEX.tar.gz files' sizes", Note: "apk add --no-cache keeps none"})
		} else {
			rc.step.add(Part{What: "apk's index cache (/var/cache/apk)", Size: Between(0, 2.5e6, 10e6), Confidence: Unknown, Source: "unknown: " + why})
		}
		s.apk.cached = true
	}
	return nil
}

// alpineBase are the packages of Alpine's minimal root file system.
var alpineBase = []string{"alpine-baselayout", "alpine-keys", "apk-tools", "busybox", "busybox-binsh", "ca-certificates-bundle",
	"libc-utils", "libcrypto3", "libssl3", "musl", "musl-utils", "scanelf", "ssl_client", "zlib"}

var (
	reAlpineInTag = lazyre.New(`alpine(3\.\d+)`)
	reAlpineTag   = lazyre.New(`^(3\.\d+)`)
)

// assumedApkRepos are the repositories of Alpine's images of the release
// the reference's tag names (alpine:3.19, python:3.12-alpine3.19), or of
// the latest stable release.
func assumedApkRepos(f *baseimage.Facts) []string {
	rel := "latest-stable"
	if f != nil {
		r := dockerfile.ParseImageRef(f.Ref)
		if m := reAlpineInTag.FindStringSubmatch(r.Tag); m != nil {
			rel = "v" + m[1]
		} else if m := reAlpineTag.FindStringSubmatch(r.Tag); m != nil && r.Name() == "alpine" {
			rel = "v" + m[1]
		}
	}
	base := "https://dl-cdn.alpinelinux.org/alpine/" + rel
	return []string{base + "/main", base + "/community"}
}

func repoNames(l *apk.Loaded) []string {
	var out []string
	for _, r := range l.Repos {
		if r.Err == nil {
			out = append(out, strings.TrimSuffix(r.URL, "/APKINDEX.tar.gz"))
		}
	}
	return out
}
