// Package baseimage tells strata estimate what a base image is: its size
// and what the steps built on it depend on (the packages installed, the
// apt sources and settings, the distribution). It asks the local Docker
// Engine (exact size; the files read from a `docker save` stream), else
// the registry through go-containerregistry (the manifest's compressed
// layer sizes, and the layers themselves when the package database is
// needed), and keeps what it learnt in the user cache folder, by image
// ID or digest. Offline, the cache, the Engine or an explicit size
// (--base-size) stand in; what none of them knows is said to be unknown.
package baseimage

import (
	"bufio"
	"bytes"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/stratatools/strata/internal/estimate/apk"
	"github.com/stratatools/strata/internal/estimate/deb"
	"github.com/stratatools/strata/internal/lazyre"
)

// Where a base image's figures came from.
const (
	FromEngine   = "engine"   // the local Docker Engine
	FromRegistry = "registry" // the registry's manifest (and layers)
	FromFlag     = "flag"     // --base-size
	FromNone     = "unknown"  // nothing answered
)

// FactsVersion is the format of the facts kept in the cache.
const FactsVersion = 2

// Facts is what the estimate knows of a base image.
type Facts struct {
	// Version is the format of cached facts (FactsVersion); older ones
	// are read again.
	Version int    `json:"v"`
	Ref     string `json:"ref"`
	// ID is the image ID (config digest) or, from a registry, the
	// manifest digest.
	ID string `json:"id,omitempty"`
	// Size is the uncompressed size in bytes: the Engine's figure, or
	// the sum of the files of the layers read; 0 with SizeKnown false
	// when neither was had.
	Size      int64 `json:"size"`
	SizeKnown bool  `json:"size_known"`
	// Compressed sums the layers' compressed sizes (registry).
	Compressed int64 `json:"compressed_size,omitempty"`
	Layers     int   `json:"layers"`
	// From is where the size came from (From* constants); Cached is true
	// when the facts were read from the cache.
	From   string    `json:"from"`
	Cached bool      `json:"-"`
	Read   time.Time `json:"read"`
	// FilesRead is true when the image's files were read: the package
	// database and the settings below are known (else empty because
	// unknown, not because absent).
	FilesRead bool `json:"files_read"`

	OS         OSRelease      `json:"os"`
	Dpkg       []*deb.Package `json:"dpkg,omitempty"`
	Apk        []*apk.Package `json:"apk,omitempty"`
	AptSources []deb.Source   `json:"apt_sources,omitempty"`
	Apt        AptConfig      `json:"apt"`
	// DpkgExcludes are dpkg's path-exclude patterns (a slim image's
	// documentation, man pages and locales).
	DpkgExcludes []string `json:"dpkg_excludes,omitempty"`
	ApkRepos     []string `json:"apk_repositories,omitempty"`
	// Sizes are the sizes of the files package installs rewrite (dpkg's
	// status, debconf's caches), by path without the leading slash.
	Sizes map[string]int64 `json:"sizes,omitempty"`
	// Dirs are the sizes of the files below each folder, and Files the
	// sizes of the files of 64 KiB or more, by path without the leading
	// slash (what a COPY --from of the base's files takes).
	Dirs  map[string]int64 `json:"dirs,omitempty"`
	Files map[string]int64 `json:"files,omitempty"`

	Env        []string `json:"env,omitempty"`
	WorkingDir string   `json:"working_dir,omitempty"`
	User       string   `json:"user,omitempty"`
	// Notes say what was assumed or could not be had.
	Notes []string `json:"notes,omitempty"`
}

// bigFile is the size from which a file's own size is kept.
const bigFile = 64 << 10

// fillSizes derives the folder sizes from every file's.
func (f *Facts) fillSizes(sizes map[string]int64) {
	f.Dirs, f.Files = map[string]int64{}, map[string]int64{}
	for p, n := range sizes {
		if n >= bigFile {
			f.Files[p] = n
		}
		for d := path.Dir(p); d != "." && d != "/" && d != ""; d = path.Dir(d) {
			f.Dirs[d] += n
		}
	}
}

// PathSize is what the image holds at p (absolute): a folder's files, or
// a file of 64 KiB or more; false when not known.
func (f *Facts) PathSize(p string) (int64, bool) {
	if !f.FilesRead {
		return 0, false
	}
	p = strings.TrimPrefix(path.Clean(p), "/")
	if n, ok := f.Dirs[p]; ok {
		return n, true
	}
	n, ok := f.Files[p]
	return n, ok
}

// OSRelease is the part of /etc/os-release the estimate uses.
type OSRelease struct {
	ID        string `json:"id,omitempty"`
	IDLike    string `json:"id_like,omitempty"`
	VersionID string `json:"version_id,omitempty"`
	Codename  string `json:"codename,omitempty"`
}

// IsDebian reports whether the image is Debian or a derivative (Ubuntu).
func (o OSRelease) IsDebian() bool {
	return o.ID == "debian" || o.ID == "ubuntu" || strings.Contains(" "+o.IDLike+" ", " debian ")
}

// IsAlpine reports whether the image is Alpine.
func (o OSRelease) IsAlpine() bool { return o.ID == "alpine" }

// AptConfig is what apt's configuration says about what it leaves behind.
type AptConfig struct {
	// NoPkgCache: Dir::Cache::pkgcache "" (no pkgcache.bin or
	// srcpkgcache.bin), as Docker's official Debian and Ubuntu images
	// set in docker-clean.
	NoPkgCache bool `json:"no_pkgcache,omitempty"`
	// CleansArchives: a DPkg::Post-Invoke removes the downloaded .deb
	// files after each install (docker-clean).
	CleansArchives bool `json:"cleans_archives,omitempty"`
	// GzipIndexes: the lists are kept compressed.
	GzipIndexes bool `json:"gzip_indexes,omitempty"`
	// NoLanguages: Acquire::Languages "none" (no Translation files).
	NoLanguages bool `json:"no_languages,omitempty"`
	// NoRecommends: APT::Install-Recommends is off by default.
	NoRecommends bool `json:"no_recommends,omitempty"`
}

var (
	reNoPkgCache   = lazyre.New(`(?i)Dir::Cache::pkgcache\s*"";`)
	reCleanDebs    = lazyre.New(`(?i)Post-Invoke[^;]*rm -f[^"]*/var/cache/apt/archives/\*\.deb`)
	reGzipIndexes  = lazyre.New(`(?i)Acquire::GzipIndexes\s*"(true|1|yes)"`)
	reNoLanguages  = lazyre.New(`(?i)Acquire::Languages\s*"none"`)
	reNoRecommends = lazyre.New(`(?i)APT::Install-Recommends\s*"(false|0|no)"`)
)

// fill derives the facts from the files of the image.
func (f *Facts) fill(files map[string]fileRec) {
	f.FilesRead = true
	f.Sizes = map[string]int64{}
	var aptConf bytes.Buffer
	var names []string
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		r := files[p]
		switch {
		case p == "etc/os-release" || (p == "usr/lib/os-release" && files["etc/os-release"].content == nil):
			f.OS = parseOSRelease(r.content)
		case p == "var/lib/dpkg/status":
			if pkgs, err := deb.ParseStatus(bytes.NewReader(r.content)); err == nil {
				f.Dpkg = append(f.Dpkg, pkgs...)
			} else {
				f.Notes = append(f.Notes, "dpkg's status file does not parse: "+err.Error())
			}
		case strings.HasPrefix(p, "var/lib/dpkg/status.d/") && !strings.HasSuffix(p, ".md5sums"):
			// Distroless keeps one status paragraph per package.
			if pkgs, err := deb.ParseStatusAny(bytes.NewReader(r.content)); err == nil {
				f.Dpkg = append(f.Dpkg, pkgs...)
			}
		case p == "lib/apk/db/installed":
			var pkgs []*apk.Package
			if err := apk.ParseDB(bytes.NewReader(r.content), func(q *apk.Package) error { pkgs = append(pkgs, q); return nil }); err == nil {
				f.Apk = pkgs
			} else {
				f.Notes = append(f.Notes, "apk's installed database does not parse: "+err.Error())
			}
		case p == "etc/apk/repositories":
			f.ApkRepos = apk.ParseRepositories(r.content)
		case p == "etc/apt/sources.list" || (path.Dir(p) == "etc/apt/sources.list.d" && strings.HasSuffix(p, ".list")):
			f.AptSources = append(f.AptSources, deb.ParseSourcesList(r.content)...)
		case path.Dir(p) == "etc/apt/sources.list.d" && strings.HasSuffix(p, ".sources"):
			f.AptSources = append(f.AptSources, deb.ParseDeb822Sources(r.content)...)
		case path.Dir(p) == "etc/apt/apt.conf.d":
			aptConf.Write(r.content)
			aptConf.WriteByte('\n')
		case path.Dir(p) == "etc/dpkg/dpkg.cfg.d":
			f.DpkgExcludes = append(f.DpkgExcludes, parseDpkgExcludes(r.content)...)
		}
		if _, size := wanted(p); size {
			switch p {
			case "var/lib/dpkg/status", "var/cache/debconf/config.dat", "var/cache/debconf/templates.dat", "var/lib/dpkg/available":
				f.Sizes[p] = r.size
			}
		}
	}
	if f.OS.ID == "" {
		switch {
		case files["etc/alpine-release"].content != nil:
			f.OS.ID = "alpine"
		case files["etc/debian_version"].content != nil:
			f.OS.ID = "debian"
		}
	}
	conf := aptConf.String()
	f.Apt = AptConfig{
		NoPkgCache:     reNoPkgCache.MatchString(conf),
		CleansArchives: reCleanDebs.MatchString(conf),
		GzipIndexes:    reGzipIndexes.MatchString(conf),
		NoLanguages:    reNoLanguages.MatchString(conf),
		NoRecommends:   reNoRecommends.MatchString(conf),
	}
}

func parseOSRelease(b []byte) OSRelease {
	var o OSRelease
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"'`)
		switch k {
		case "ID":
			o.ID = strings.ToLower(v)
		case "ID_LIKE":
			o.IDLike = strings.ToLower(v)
		case "VERSION_ID":
			o.VersionID = v
		case "VERSION_CODENAME":
			o.Codename = v
		}
	}
	return o
}

func parseDpkgExcludes(b []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		l = strings.TrimPrefix(l, "--")
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			k, v, ok = strings.Cut(l, " ")
		}
		if ok && strings.TrimSpace(k) == "path-exclude" {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}
