// Package eol knows when common base images reach their end of life:
// a table of releases of Debian, Ubuntu, Alpine, Python, Node.js, Go
// and the OpenJDK images, each family with its source and the day it was
// checked (table.go), and the tag a base should move to, the supported
// successor of the same family. It reads image references only; it
// fetches nothing.
package eol

import (
	"fmt"
	"strings"
	"time"

	"github.com/stratatools/strata/internal/dockerfile"
)

// Kind tells what a family's releases are.
type Kind int

const (
	// Distribution is an operating system release (Debian, Ubuntu,
	// Alpine): moving to another changes the packages it installs.
	Distribution Kind = iota
	// Language is a language runtime's image (python, node, golang).
	Language
)

// Family is an image family whose releases the table knows.
type Family struct {
	Name   string   // "debian", "ubuntu", "python", ...
	Images []string // the official repositories of the family
	Kind   Kind
	// Codenames: the family's tags may name a release by codename.
	Codenames bool
	// Newest: the successor is the newest release (Go keeps old code
	// building), rather than the oldest with a year of support left.
	Newest bool
	// Deprecated names the repository that replaces the family's image
	// (openjdk → eclipse-temurin), "" when the image lives on.
	Deprecated string
	Source     string // where the dates come from
	Checked    string // the day the entries were checked (YYYY-MM-DD)
	Releases   []Release
}

// Release is one release of a family.
type Release struct {
	Version  string // "12", "20.04", "3.19", "1.24"
	Codename string // "bookworm", "focal"; "" for none
	// EOL is the last day of support (YYYY-MM-DD); "" when not announced.
	EOL  string
	Note string
}

// End returns the release's end of life, and false when none is known.
func (r Release) End() (time.Time, bool) {
	if r.EOL == "" {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", r.EOL)
	return t, err == nil
}

// Ended reports whether the release was out of support on day today.
func (r Release) Ended(today time.Time) bool {
	t, ok := r.End()
	return ok && today.After(t)
}

// Families returns the table.
func Families() []Family { return families }

// Base is what the table says about an image reference.
type Base struct {
	Family  *Family
	Release Release
	// Image is the reference as written (name:tag).
	Image string
	// repo is the reference up to its tag ("python:", "docker.io/ubuntu:").
	repo string
	// token is the part of the tag that names the release, and the tag
	// around it.
	prefix, token, suffix string
}

// Lookup finds the release an image reference names, when its family is
// in the table and the tag names one release (a version or a codename
// at the start of the tag: "3.12-slim", "bookworm-20240101", "20.04",
// "16-alpine"). A tag that names none (latest, stable, lts), a digest
// without a tag and a reference holding a variable give false.
func Lookup(ref dockerfile.ImageRef) (Base, bool) {
	if ref.Unresolved || ref.Scratch || ref.Tag == "" || dockerfile.HasVariable(ref.Raw) {
		return Base{}, false
	}
	repo := strings.ToLower(ref.Repository)
	repo = strings.TrimPrefix(repo, "library/")
	if reg := strings.ToLower(ref.Registry); reg != "" && reg != "docker.io" && reg != "index.docker.io" || strings.Contains(repo, "/") {
		// Only the official images: a namespace's "python" is its own.
		return Base{}, false
	}
	tag := strings.ToLower(ref.Tag)
	for i := range families {
		f := &families[i]
		if !contains(f.Images, repo) {
			continue
		}
		head, rest := splitTag(tag)
		for _, r := range f.Releases {
			if head == r.Version || f.Codenames && head == r.Codename || patchOf(head, r.Version) {
				raw := ref.Raw
				if i := strings.Index(raw, "@"); i >= 0 {
					raw = raw[:i]
				}
				if !strings.HasSuffix(strings.ToLower(raw), ":"+tag) {
					return Base{}, false
				}
				return Base{Family: f, Release: r, Image: ref.Raw, repo: raw[:len(raw)-len(tag)], token: head, suffix: rest}, true
			}
		}
		return Base{}, false
	}
	return Base{}, false
}

// splitTag splits a tag into its first part (the version or codename)
// and the rest, with its separator ("-slim", "-alpine3.19").
func splitTag(tag string) (string, string) {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		return tag[:i], tag[i:]
	}
	return tag, ""
}

// patchOf reports whether head is a patch release of version v (3.19.1
// of 3.19, 1.20.5 of 1.20, 16.20.2 of node 16, 12.5 of Debian 12): v,
// a dot, then digits and dots only.
func patchOf(head, v string) bool {
	rest, ok := strings.CutPrefix(head, v+".")
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if c != '.' && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Ended reports whether the base's release was out of support on today.
func (b Base) Ended(today time.Time) bool { return b.Release.Ended(today) }

// Successor returns the tag of the supported successor, the release of
// the same family the base should move to, and that release: the oldest
// newer release with at least six months of support left on today (or
// with no end announced), the smallest step that is worth taking, else
// the newest release of the family (for Go, always the newest). The tag keeps the variant (-slim, -alpine) and the
// style (codename or number); a date or patch version in the tag goes,
// and an Alpine or Debian release named in the variant that is out of
// support goes too. For a deprecated image, the successor is its
// replacement with the same version. ok is false when there is none.
func (b Base) Successor(today time.Time) (image string, rel Release, ok bool) {
	f := b.Family
	if f.Deprecated != "" {
		return b.deprecatedSuccessor()
	}
	var newer []Release
	for _, r := range f.Releases {
		if r.Version == b.Release.Version {
			break
		}
		newer = append([]Release{r}, newer...) // oldest first
	}
	if len(newer) == 0 {
		return "", Release{}, false
	}
	pick := newer[len(newer)-1]
	if !f.Newest {
		for _, r := range newer {
			end, known := r.End()
			if !known || end.After(today.AddDate(0, 6, 0)) {
				pick = r
				break
			}
		}
	}
	if pick.Ended(today) {
		return "", Release{}, false
	}
	token := pick.Version
	if f.Codenames && b.token == b.Release.Codename && pick.Codename != "" {
		token = pick.Codename
	}
	return b.repo + token + cleanSuffix(b.suffix, today), pick, true
}

// Renamed returns the base's image with the release its variant names
// replaced by the current default (python:3.11-slim-buster →
// python:3.11-slim), for a release that is supported on a variant that
// is not.
func (b Base) Renamed(today time.Time) string {
	return b.repo + b.token + cleanSuffix(b.suffix, today)
}

// deprecatedSuccessor maps a tag of a deprecated image to its
// replacement: openjdk:11-jre-slim → eclipse-temurin:11-jre.
func (b Base) deprecatedSuccessor() (string, Release, bool) {
	f := b.Family
	if f.Name != "openjdk" || !temurinLTS[b.Release.Version] {
		return "", Release{}, false
	}
	kind := "jdk"
	if strings.Contains(b.suffix, "jre") {
		kind = "jre"
	}
	tag := b.Release.Version + "-" + kind
	if strings.Contains(b.suffix, "alpine") {
		tag += "-alpine"
	}
	prefix := strings.TrimSuffix(b.repo, "openjdk:")
	return prefix + f.Deprecated + ":" + tag, Release{Version: b.Release.Version}, true
}

// cleanSuffix keeps the variant words of a tag's rest (-slim, -alpine,
// -jdk) and drops dates, patch versions and releases out of support.
func cleanSuffix(rest string, today time.Time) string {
	if rest == "" {
		return ""
	}
	var keep []string
	for _, w := range strings.FieldsFunc(rest, func(r rune) bool { return r == '-' || r == '_' }) {
		switch {
		case isDigits(w):
			continue // a date or build number
		case strings.HasPrefix(w, "alpine") && len(w) > len("alpine"):
			v := strings.TrimPrefix(w, "alpine")
			if rel, ok := release("alpine", v); ok && rel.Ended(today) {
				w = "alpine"
			}
		default:
			if rel, ok := releaseByCodename("debian", w); ok && rel.Ended(today) {
				continue
			}
			if rel, ok := releaseByCodename("ubuntu", w); ok && rel.Ended(today) {
				continue
			}
		}
		keep = append(keep, w)
	}
	if len(keep) == 0 {
		return ""
	}
	return "-" + strings.Join(keep, "-")
}

// VariantEnded returns the distribution release a tag's variant names
// ("slim-buster", "alpine3.16") when it is out of support on today.
func (b Base) VariantEnded(today time.Time) (string, Release, bool) {
	for _, w := range strings.FieldsFunc(b.suffix, func(r rune) bool { return r == '-' || r == '_' }) {
		if v, ok := strings.CutPrefix(w, "alpine"); ok && v != "" {
			if rel, ok := release("alpine", v); ok && rel.Ended(today) {
				return "Alpine " + v, rel, true
			}
		}
		for _, fam := range []string{"debian", "ubuntu"} {
			if rel, ok := releaseByCodename(fam, w); ok && rel.Ended(today) {
				return strings.ToUpper(fam[:1]) + fam[1:] + " " + rel.Version + " (" + rel.Codename + ")", rel, true
			}
		}
	}
	return "", Release{}, false
}

func release(family, version string) (Release, bool) {
	for _, f := range families {
		if f.Name == family {
			for _, r := range f.Releases {
				if r.Version == version {
					return r, true
				}
			}
		}
	}
	return Release{}, false
}

func releaseByCodename(family, name string) (Release, bool) {
	for _, f := range families {
		if f.Name == family {
			for _, r := range f.Releases {
				if r.Codename != "" && r.Codename == name {
					return r, true
				}
			}
		}
	}
	return Release{}, false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Describe says what a family's end of life means and when the release
// reached it, for messages: "Ubuntu 20.04 (focal): standard support
// ended on 2025-05-31".
func (b Base) Describe() string {
	r := b.Release
	name := familyTitle(b.Family.Name) + " " + r.Version
	if r.Codename != "" {
		name += " (" + r.Codename + ")"
	}
	what := map[string]string{
		"debian": "Debian LTS ended", "ubuntu": "standard support ended", "alpine": "support of its main repository ended",
		"python": "security releases ended", "node": "maintenance ended", "golang": "support ended",
		"openjdk": "the openjdk image stopped receiving updates (deprecated)",
	}[b.Family.Name]
	return fmt.Sprintf("%s: %s on %s", name, what, r.EOL)
}

func familyTitle(n string) string {
	switch n {
	case "golang":
		return "Go"
	case "node":
		return "Node.js"
	case "openjdk":
		return "OpenJDK"
	}
	return strings.ToUpper(n[:1]) + n[1:]
}

// DistroPython returns the Python version the release's python3 package
// installs ("3.8" on Ubuntu 20.04), "" when the table does not say.
func (b Base) DistroPython() string {
	return distroPython[b.Family.Name+":"+b.Release.Version]
}

// PythonImage returns the python:X.Y-slim image a Python application
// installed from this distribution release's packages should move to:
// the same Python version when it is supported on today, else the
// version the table's successor rule picks for it. ok is false when the
// release's Python is not known.
func (b Base) PythonImage(today time.Time) (image, version string, ok bool) {
	v := b.DistroPython()
	if v == "" || b.Family.Kind != Distribution {
		return "", "", false
	}
	for i := range families {
		f := &families[i]
		if f.Name != "python" {
			continue
		}
		for _, r := range f.Releases {
			if r.Version != v {
				continue
			}
			if !r.Ended(today) {
				return "python:" + v + "-slim", v, true
			}
			pb := Base{Family: f, Release: r, repo: "python:", token: v, suffix: "-slim"}
			img, rel, ok := pb.Successor(today)
			return img, rel.Version, ok
		}
	}
	return "", "", false
}

// ExternallyManaged reports whether the system Python of the release the
// image names refuses pip installs outside a virtual environment (PEP
// 668).
func ExternallyManaged(image string) bool {
	image = strings.TrimSpace(image)
	if image == "" || strings.ContainsAny(image, " \t\n") {
		return false
	}
	b, ok := Lookup(dockerfile.ParseImageRef(image))
	if !ok {
		return false
	}
	first, ok := pep668[b.Family.Name]
	if !ok {
		return false
	}
	return versionAtLeast(b.Release.Version, first)
}

// versionAtLeast compares dotted numeric versions.
func versionAtLeast(v, min string) bool {
	a, b := strings.Split(v, "."), strings.Split(min, ".")
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y int
		if i < len(a) {
			fmt.Sscan(a[i], &x)
		}
		if i < len(b) {
			fmt.Sscan(b[i], &y)
		}
		if x != y {
			return x > y
		}
	}
	return true
}
