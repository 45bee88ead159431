package deb

import (
	"fmt"
	"sort"
)

// Index is the packages of one or more Packages files, by name: the
// newest version of each (as apt's candidate is, without pinning), and
// which packages provide each virtual name.
type Index struct {
	byName    map[string]*Package
	providers map[string][]*Package
	// Arch is the native architecture; packages of other architectures
	// (but "all") are left out.
	arch string
}

// NewIndex returns an empty index for the native architecture arch
// ("amd64"); "" accepts every architecture.
func NewIndex(arch string) *Index {
	return &Index{byName: map[string]*Package{}, providers: map[string][]*Package{}, arch: arch}
}

// Add puts p in the index unless a newer version of it is there.
func (ix *Index) Add(p *Package) {
	if ix.arch != "" && p.Architecture != "" && p.Architecture != "all" && p.Architecture != ix.arch {
		return
	}
	if old, ok := ix.byName[p.Name]; ok {
		if CompareVersions(p.Version, old.Version) <= 0 {
			return
		}
		ix.dropProvides(old)
	}
	ix.byName[p.Name] = p
	for _, v := range ProvidedNames(p.Provides) {
		ix.providers[v] = append(ix.providers[v], p)
	}
}

func (ix *Index) dropProvides(old *Package) {
	for _, v := range ProvidedNames(old.Provides) {
		ps := ix.providers[v]
		for i, q := range ps {
			if q == old {
				ix.providers[v] = append(ps[:i:i], ps[i+1:]...)
				break
			}
		}
	}
}

// Len is the number of packages.
func (ix *Index) Len() int { return len(ix.byName) }

// Lookup returns the package called name, or nil.
func (ix *Index) Lookup(name string) *Package { return ix.byName[name] }

// Providers returns the packages that provide the virtual name.
func (ix *Index) Providers(name string) []*Package { return ix.providers[name] }

// Installed is the set of packages present on a system: by name (with
// their versions), and by the virtual names they provide (with the
// versions they provide, "" for none).
type Installed struct {
	names    map[string]string
	provided map[string][]string
}

// NewInstalled returns the set holding pkgs.
func NewInstalled(pkgs []*Package) *Installed {
	in := &Installed{names: map[string]string{}, provided: map[string][]string{}}
	for _, p := range pkgs {
		in.Add(p)
	}
	return in
}

// Add marks p installed.
func (in *Installed) Add(p *Package) {
	in.names[p.Name] = p.Version
	for _, g := range Relations(p.Provides) {
		for _, a := range g {
			in.provided[a.Name] = append(in.provided[a.Name], a.Version)
		}
	}
}

// Satisfies reports whether the installed packages meet a: the package
// of that name in a version it allows, or a provider of the name (an
// unversioned Provides only for a constraint-free dependency).
func (in *Installed) Satisfies(a Alternative) bool {
	if v, ok := in.names[a.Name]; ok && a.Allows(v) {
		return true
	}
	for _, v := range in.provided[a.Name] {
		if a.Op == "" || (v != "" && a.Allows(v)) {
			return true
		}
	}
	return false
}

// Remove marks the package called name not installed. What it provided
// stays provided (another package may provide it too; the estimate errs
// towards installing less).
func (in *Installed) Remove(name string) { delete(in.names, name) }

// Has reports whether name is installed, or provided by an installed
// package.
func (in *Installed) Has(name string) bool {
	_, real := in.names[name]
	return real || len(in.provided[name]) > 0
}

// HasReal reports whether the package called name is installed.
func (in *Installed) HasReal(name string) bool {
	_, ok := in.names[name]
	return ok
}

// Len is the number of installed packages.
func (in *Installed) Len() int { return len(in.names) }

// Clone returns a copy.
func (in *Installed) Clone() *Installed {
	c := &Installed{names: make(map[string]string, len(in.names)), provided: make(map[string][]string, len(in.provided))}
	for k, v := range in.names {
		c.names[k] = v
	}
	for k, v := range in.provided {
		c.provided[k] = append([]string(nil), v...)
	}
	return c
}

// Names returns the installed package names, sorted.
func (in *Installed) Names() []string {
	out := make([]string, 0, len(in.names))
	for k := range in.names {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Resolution is what an install would add.
type Resolution struct {
	// New are the packages the install adds, requested first.
	New []*Package
	// Already are requested packages that were installed before.
	Already []string
	// Missing are requested names the index does not know (apt fails on
	// them: "Unable to locate package").
	Missing []string
	// Notes say where the resolution had to choose (a virtual package
	// with several providers).
	Notes []string
	// InstalledSize and DownloadSize sum the new packages' Installed-Size
	// and .deb sizes.
	InstalledSize, DownloadSize int64
}

// Resolve works out what installing names adds to a system holding inst,
// as apt does: each requested package that is not installed, and the
// closure of its Pre-Depends and Depends (and Recommends when
// recommends is set) that is not installed either, taking the first
// alternative of a choice unless one is already there. inst is updated
// with the new packages.
func (ix *Index) Resolve(names []string, inst *Installed, recommends bool) *Resolution {
	res := &Resolution{}
	var stack []*Package
	mark := func(p *Package) {
		if inst.HasReal(p.Name) {
			return
		}
		inst.Add(p)
		res.New = append(res.New, p)
		res.InstalledSize += p.InstalledSize
		res.DownloadSize += p.Size
		stack = append(stack, p)
	}
	expand := func() {
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			groups := Relations(p.PreDepends)
			groups = append(groups, Relations(p.Depends)...)
			n := len(groups)
			if recommends {
				groups = append(groups, Relations(p.Recommends)...)
			}
			// Push in reverse so the first dependency is expanded first.
			var picked []*Package
			for gi, g := range groups {
				if satisfied(g, inst) {
					continue
				}
				c := ix.candidate(g, inst)
				if c == nil {
					if gi < n {
						res.Notes = append(res.Notes, fmt.Sprintf("%s depends on %s, which the index does not have", p.Name, altString(g)))
					}
					continue
				}
				if !inst.HasReal(c.Name) {
					inst.Add(c)
					res.New = append(res.New, c)
					res.InstalledSize += c.InstalledSize
					res.DownloadSize += c.Size
					picked = append(picked, c)
				}
			}
			for i := len(picked) - 1; i >= 0; i-- {
				stack = append(stack, picked[i])
			}
		}
	}
	for _, name := range names {
		if inst.HasReal(name) {
			res.Already = append(res.Already, name)
			continue
		}
		p := ix.byName[name]
		if p == nil {
			provs := ix.providers[name]
			switch {
			case len(provs) == 0:
				if inst.Has(name) {
					res.Already = append(res.Already, name)
				} else {
					res.Missing = append(res.Missing, name)
				}
				continue
			case inst.Has(name):
				res.Already = append(res.Already, name)
				continue
			case len(provs) > 1:
				res.Notes = append(res.Notes, fmt.Sprintf("%s is a virtual package several packages provide (apt asks to pick one); %s taken", name, ix.provider(provs, inst).Name))
			}
			p = ix.provider(provs, inst)
		}
		mark(p)
		expand()
	}
	return res
}

// satisfied reports whether one alternative of g is installed.
func satisfied(g []Alternative, inst *Installed) bool {
	for _, a := range g {
		if inst.Satisfies(a) {
			return true
		}
	}
	return false
}

// candidate is the package apt installs for a group of alternatives: the
// first alternative that is a real package, else a provider of the
// first virtual alternative that has one (see provider).
func (ix *Index) candidate(g []Alternative, inst *Installed) *Package {
	for _, a := range g {
		if p := ix.byName[a.Name]; p != nil {
			return p
		}
		if ps := ix.providers[a.Name]; len(ps) > 0 {
			return ix.provider(ps, inst)
		}
	}
	return nil
}

var priorities = map[string]int{"required": 5, "important": 4, "standard": 3, "optional": 2, "extra": 1}

// provider picks among the packages providing a virtual name as apt
// does: the one already installed, else the highest priority, and among
// equals the one read last (apt's list of providers runs backwards
// through the index, and its sort is stable).
func (ix *Index) provider(ps []*Package, inst *Installed) *Package {
	var best *Package
	bestPrio := -1
	for i := len(ps) - 1; i >= 0; i-- {
		p := ps[i]
		if inst != nil && inst.HasReal(p.Name) {
			return p
		}
		if prio := priorities[p.Priority]; prio > bestPrio {
			best, bestPrio = p, prio
		}
	}
	return best
}

func altString(g []Alternative) string {
	s := ""
	for i, a := range g {
		if i > 0 {
			s += " | "
		}
		s += a.Name
	}
	return s
}

// Names returns the package names of the index, sorted.
func (ix *Index) Names() []string {
	out := make([]string, 0, len(ix.byName))
	for k := range ix.byName {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
