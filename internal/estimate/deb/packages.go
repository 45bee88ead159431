package deb

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Package is one binary package of a Packages file (or of dpkg's status
// file), with the fields the estimate uses.
type Package struct {
	Name         string `json:"name"`
	Version      string `json:"version"`
	Architecture string `json:"architecture,omitempty"`
	// InstalledSize is the Installed-Size field in bytes (the field is
	// in KiB): the disk space the unpacked files take, as dpkg-gencontrol
	// counts it.
	InstalledSize int64 `json:"installed_size"`
	// Size is the .deb file's size, what apt downloads into
	// /var/cache/apt/archives.
	Size int64 `json:"size,omitempty"`
	// Depends, PreDepends and Recommends are the raw relationship
	// fields; Relations parses them.
	Depends    string `json:"depends,omitempty"`
	PreDepends string `json:"pre_depends,omitempty"`
	Recommends string `json:"recommends,omitempty"`
	Provides   string `json:"provides,omitempty"`
	Priority   string `json:"priority,omitempty"`
	Essential  bool   `json:"essential,omitempty"`
	Section    string `json:"section,omitempty"`
}

// packageFields are the fields ParsePackages keeps.
var packageFields = fieldSet("package", "version", "architecture", "installed-size", "size",
	"depends", "pre-depends", "recommends", "provides", "priority", "essential", "section", "status")

// ParsePackages reads a Packages file and calls fn for each package. A
// paragraph without a Package field, or with a malformed size, is an
// error naming its line.
func ParsePackages(r io.Reader, fn func(*Package) error) error {
	return readStanzas(r, packageFields, func(s stanza, line int) error {
		p, err := packageFrom(s)
		if err != nil {
			return fmt.Errorf("paragraph at line %d: %w", line, err)
		}
		return fn(p)
	})
}

func packageFrom(s stanza) (*Package, error) {
	p := &Package{
		Name:         s["package"],
		Version:      s["version"],
		Architecture: s["architecture"],
		Depends:      s["depends"],
		PreDepends:   s["pre-depends"],
		Recommends:   s["recommends"],
		Provides:     s["provides"],
		Priority:     s["priority"],
		Section:      s["section"],
		Essential:    strings.EqualFold(s["essential"], "yes"),
	}
	if p.Name == "" {
		return nil, fmt.Errorf("no Package field")
	}
	if strings.ContainsAny(p.Name, " \t\n") {
		return nil, fmt.Errorf("package name %q holds blanks", p.Name)
	}
	var err error
	if v := s["installed-size"]; v != "" {
		kib, e := strconv.ParseInt(v, 10, 64)
		if e != nil || kib < 0 || kib > 1<<40 {
			return nil, fmt.Errorf("package %s: Installed-Size %q is not a size in KiB", p.Name, v)
		}
		p.InstalledSize = kib * 1024
	}
	if v := s["size"]; v != "" {
		if p.Size, err = strconv.ParseInt(v, 10, 64); err != nil || p.Size < 0 {
			return nil, fmt.Errorf("package %s: Size %q is not a size in bytes", p.Name, v)
		}
	}
	return p, nil
}

// Alternative is one package a relationship can be satisfied by.
type Alternative struct {
	Name string
	// Arch is the architecture qualifier (":any", ":native"), without
	// the colon; "" when none.
	Arch string
	// Op and Version are the version constraint (">=", "2.0.1"); ""
	// when none.
	Op, Version string
}

// Allows reports whether version v meets the alternative's constraint.
func (a Alternative) Allows(v string) bool {
	if a.Op == "" {
		return true
	}
	if v == "" {
		return false
	}
	c := CompareVersions(v, a.Version)
	switch a.Op {
	case ">=":
		return c >= 0
	case "<=":
		return c <= 0
	case ">>", ">":
		return c > 0
	case "<<", "<":
		return c < 0
	case "=":
		return c == 0
	}
	return true
}

// Relations parses a relationship field ("a (>= 1), b | c:any [amd64]")
// into its groups of alternatives, with their version constraints;
// architecture restrictions and build profiles, which binary packages
// do not carry, are dropped.
func Relations(field string) [][]Alternative {
	if strings.TrimSpace(field) == "" {
		return nil
	}
	var out [][]Alternative
	for _, group := range strings.Split(field, ",") {
		var alts []Alternative
		for _, alt := range strings.Split(group, "|") {
			alt = strings.TrimSpace(alt)
			var op, ver string
			if i := strings.IndexByte(alt, '('); i >= 0 {
				if j := strings.IndexByte(alt[i:], ')'); j > 0 {
					c := strings.TrimSpace(alt[i+1 : i+j])
					k := strings.IndexFunc(c, func(r rune) bool { return r != '<' && r != '>' && r != '=' })
					if k > 0 {
						op, ver = c[:k], strings.TrimSpace(c[k:])
					}
				}
			}
			if i := strings.IndexAny(alt, " \t\n([<"); i >= 0 {
				alt = alt[:i]
			}
			if alt == "" {
				continue
			}
			name, arch, _ := strings.Cut(alt, ":")
			alts = append(alts, Alternative{Name: name, Arch: arch, Op: op, Version: ver})
		}
		if len(alts) > 0 {
			out = append(out, alts)
		}
	}
	return out
}

// ProvidedNames returns the virtual package names a Provides field lists.
func ProvidedNames(field string) []string {
	var out []string
	for _, g := range Relations(field) {
		for _, a := range g {
			out = append(out, a.Name)
		}
	}
	return out
}
