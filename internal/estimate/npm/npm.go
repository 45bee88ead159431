// Package npm is strata estimate's size source for npm: it reads
// package-lock.json (lockfile versions 1 to 3) and package.json, and asks
// the npm registry how large each package is unpacked: the version's
// dist.unpackedSize, or, where the registry does not give it, the sizes
// in the package's tarball (downloaded once; only the sizes are kept, in
// the user cache folder). Without a lock file it resolves the
// dependencies from the registry's documents, newest matching version
// first, as a flat tree.
package npm

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Locked is one package of a lock file.
type Locked struct {
	// Name and Version identify it; Path is its folder
	// ("node_modules/a/node_modules/b").
	Name, Version, Path string
	Resolved            string
	// Dev is true for a package only development needs; Optional for an
	// optional one.
	Dev, Optional bool
}

// Lock is a parsed lock file.
type Lock struct {
	Name     string
	Version  int
	Packages []Locked
}

type lockV2 struct {
	Name            string                   `json:"name"`
	LockfileVersion int                      `json:"lockfileVersion"`
	Packages        map[string]lockV2Package `json:"packages"`
	Dependencies    map[string]lockV1Dep     `json:"dependencies"`
}

type lockV2Package struct {
	Name        string `json:"name"`
	Version     string `json:"version"`
	Resolved    string `json:"resolved"`
	Dev         bool   `json:"dev"`
	DevOptional bool   `json:"devOptional"`
	Optional    bool   `json:"optional"`
	Link        bool   `json:"link"`
	InBundle    bool   `json:"inBundle"`
}

type lockV1Dep struct {
	Version      string               `json:"version"`
	Resolved     string               `json:"resolved"`
	Dev          bool                 `json:"dev"`
	Optional     bool                 `json:"optional"`
	Bundled      bool                 `json:"bundled"`
	Dependencies map[string]lockV1Dep `json:"dependencies"`
}

// ParseLock reads a package-lock.json or npm-shrinkwrap.json.
func ParseLock(b []byte) (*Lock, error) {
	var raw lockV2
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("not a package-lock.json: %w", err)
	}
	l := &Lock{Name: raw.Name, Version: raw.LockfileVersion}
	switch {
	case raw.Packages != nil:
		for p, v := range raw.Packages {
			if p == "" || v.Link || v.InBundle {
				continue
			}
			name := v.Name
			if name == "" {
				i := strings.LastIndex(p, "node_modules/")
				if i < 0 {
					continue // a workspace folder, not an installed package
				}
				name = p[i+len("node_modules/"):]
			}
			if name == "" || v.Version == "" || strings.HasPrefix(v.Version, "file:") {
				continue
			}
			l.Packages = append(l.Packages, Locked{Name: name, Version: v.Version, Path: p, Resolved: v.Resolved, Dev: v.Dev || v.DevOptional, Optional: v.Optional})
		}
	case raw.Dependencies != nil:
		var walk func(prefix string, deps map[string]lockV1Dep, depth int)
		walk = func(prefix string, deps map[string]lockV1Dep, depth int) {
			if depth > 64 {
				return
			}
			for name, d := range deps {
				p := prefix + "node_modules/" + name
				if name != "" && d.Version != "" && !d.Bundled && !strings.HasPrefix(d.Version, "file:") {
					l.Packages = append(l.Packages, Locked{Name: name, Version: d.Version, Path: p, Resolved: d.Resolved, Dev: d.Dev, Optional: d.Optional})
				}
				walk(p+"/", d.Dependencies, depth+1)
			}
		}
		walk("", raw.Dependencies, 0)
	default:
		return nil, fmt.Errorf("the lock file lists no packages (lockfileVersion %d)", raw.LockfileVersion)
	}
	sort.Slice(l.Packages, func(i, j int) bool { return l.Packages[i].Path < l.Packages[j].Path })
	return l, nil
}

// Manifest is the part of package.json the estimate reads.
type Manifest struct {
	Name            string            `json:"name"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Scripts         map[string]string `json:"scripts"`
}

// ParseManifest reads a package.json.
func ParseManifest(b []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("not a package.json: %w", err)
	}
	return &m, nil
}
