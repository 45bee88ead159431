// Package apk is strata estimate's size source for Alpine: it reads
// APKINDEX files (each package's installed size, .apk size, dependencies
// and what it provides) and apk's installed database, fetches the index
// of each repository a base image lists (cached in the user cache
// folder), and resolves an `apk add` as apk does: the requested packages
// and the closure of their dependencies that is not installed yet.
package apk

import (
	"archive/tar"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"
)

// Package is one package of an APKINDEX (or of the installed database).
type Package struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Arch    string `json:"arch,omitempty"`
	// InstalledSize is the I: field, in bytes.
	InstalledSize int64 `json:"installed_size"`
	// Size is the S: field, the .apk file's size.
	Size int64 `json:"size,omitempty"`
	// Depends are the D: field's words ("so:libc.musl-x86_64.so.1",
	// "cmd:sh", "name>=1.2", "!conflict").
	Depends []string `json:"depends,omitempty"`
	// Provides are the p: field's names, versions dropped.
	Provides []string `json:"provides,omitempty"`
}

const maxLine = 1 << 20

// ParseDB reads the text form of an APKINDEX, or apk's installed
// database (/lib/apk/db/installed), and calls fn for each package.
func ParseDB(r io.Reader, fn func(*Package) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var p *Package
	n, start := 0, 0
	flush := func() error {
		if p == nil {
			return nil
		}
		q := p
		p = nil
		if q.Name == "" {
			return fmt.Errorf("paragraph at line %d: no P: field", start)
		}
		return fn(q)
	}
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			if err := flush(); err != nil {
				return err
			}
			continue
		}
		if len(line) < 2 || line[1] != ':' {
			return fmt.Errorf("line %d: not an APKINDEX field: %.60q", n, line)
		}
		if p == nil {
			p, start = &Package{}, n
		}
		v := line[2:]
		var err error
		switch line[0] {
		case 'P':
			p.Name = v
		case 'V':
			p.Version = v
		case 'A':
			p.Arch = v
		case 'I':
			p.InstalledSize, err = strconv.ParseInt(v, 10, 64)
		case 'S':
			p.Size, err = strconv.ParseInt(v, 10, 64)
		case 'D':
			p.Depends = strings.Fields(v)
		case 'p':
			for _, w := range strings.Fields(v) {
				name, _, _ := strings.Cut(w, "=")
				p.Provides = append(p.Provides, name)
			}
		}
		if err != nil || p.InstalledSize < 0 || p.Size < 0 {
			return fmt.Errorf("line %d: %c: %q is not a size in bytes", n, line[0], v)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", n+1, err)
	}
	return flush()
}

// ParseIndexArchive reads an APKINDEX.tar.gz (its signature part, if
// any, and the archive holding APKINDEX) and returns the packages.
func ParseIndexArchive(r io.Reader, maxBytes int64) ([]*Package, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("APKINDEX.tar.gz: not gzip: %w", err)
	}
	defer zr.Close()
	lr := &io.LimitedReader{R: zr, N: maxBytes}
	tr := tar.NewReader(lr)
	var out []*Package
	found := false
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if lr.N <= 0 {
				return nil, fmt.Errorf("APKINDEX.tar.gz: larger than %d bytes uncompressed", maxBytes)
			}
			if found {
				break // what follows APKINDEX does not matter
			}
			return nil, fmt.Errorf("APKINDEX.tar.gz: %w", err)
		}
		if h.Name != "APKINDEX" {
			continue
		}
		found = true
		if err := ParseDB(tr, func(p *Package) error { out = append(out, p); return nil }); err != nil {
			return nil, fmt.Errorf("APKINDEX: %w", err)
		}
	}
	if !found {
		return nil, errors.New("APKINDEX.tar.gz holds no APKINDEX")
	}
	return out, nil
}

// Index is the packages of one or more repositories.
type Index struct {
	byName    map[string]*Package
	providers map[string][]*Package
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{byName: map[string]*Package{}, providers: map[string][]*Package{}}
}

// Add puts p in the index; the first repository listing a name wins, as
// with apk's repository order (pinning aside).
func (ix *Index) Add(p *Package) {
	if _, ok := ix.byName[p.Name]; ok {
		return
	}
	ix.byName[p.Name] = p
	for _, v := range p.Provides {
		ix.providers[v] = append(ix.providers[v], p)
	}
}

// Len is the number of packages.
func (ix *Index) Len() int { return len(ix.byName) }

// Lookup returns the package called name, or nil.
func (ix *Index) Lookup(name string) *Package { return ix.byName[name] }

// Installed is what a system has: names and provided names.
type Installed struct {
	names, provided map[string]bool
}

// NewInstalled returns the set holding pkgs.
func NewInstalled(pkgs []*Package) *Installed {
	in := &Installed{names: map[string]bool{}, provided: map[string]bool{}}
	for _, p := range pkgs {
		in.Add(p)
	}
	return in
}

// Add marks p installed.
func (in *Installed) Add(p *Package) {
	in.names[p.Name] = true
	for _, v := range p.Provides {
		in.provided[v] = true
	}
}

// Has reports whether name is installed or provided.
func (in *Installed) Has(name string) bool { return in.names[name] || in.provided[name] }

// Len is the number of packages.
func (in *Installed) Len() int { return len(in.names) }

// Clone returns a copy.
func (in *Installed) Clone() *Installed {
	c := NewInstalled(nil)
	for k := range in.names {
		c.names[k] = true
	}
	for k := range in.provided {
		c.provided[k] = true
	}
	return c
}

// Resolution is what an `apk add` adds.
type Resolution struct {
	New                         []*Package
	Already, Missing            []string
	InstalledSize, DownloadSize int64
}

// depName is the name a dependency word asks for ("" for a conflict).
func depName(w string) string {
	if strings.HasPrefix(w, "!") {
		return ""
	}
	if i := strings.IndexAny(w, "<>=~"); i >= 0 {
		w = w[:i]
	}
	return w
}

// Resolve works out what `apk add names...` adds to inst (which it
// updates): each requested package not installed, and the closure of
// its dependencies, each satisfied by the package of that name or the
// first that provides it.
func (ix *Index) Resolve(names []string, inst *Installed) *Resolution {
	res := &Resolution{}
	var stack []*Package
	add := func(p *Package) {
		if inst.names[p.Name] {
			return
		}
		inst.Add(p)
		res.New = append(res.New, p)
		res.InstalledSize += p.InstalledSize
		res.DownloadSize += p.Size
		stack = append(stack, p)
	}
	for _, raw := range names {
		name := depName(raw)
		if name == "" {
			continue
		}
		if inst.Has(name) {
			res.Already = append(res.Already, name)
			continue
		}
		p := ix.pick(name)
		if p == nil {
			res.Missing = append(res.Missing, name)
			continue
		}
		add(p)
		for len(stack) > 0 {
			q := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, d := range q.Depends {
				dn := depName(d)
				if dn == "" || inst.Has(dn) {
					continue
				}
				if c := ix.pick(dn); c != nil {
					add(c)
				}
			}
		}
	}
	return res
}

// pick is the package apk takes for a name: the real package, else the
// provider with the lowest name (apk prefers by provider priority, which
// the index rarely sets).
func (ix *Index) pick(name string) *Package {
	if p := ix.byName[name]; p != nil {
		return p
	}
	ps := ix.providers[name]
	if len(ps) == 0 {
		return nil
	}
	best := ps[0]
	for _, p := range ps[1:] {
		if p.Name < best.Name {
			best = p
		}
	}
	return best
}

// ParseRepositories reads /etc/apk/repositories: one repository URL per
// line; comments and tagged repositories ("@edge https://...") are
// skipped, as `apk add` without a tag does not use them.
func ParseRepositories(b []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "@") {
			continue
		}
		out = append(out, strings.TrimRight(l, "/"))
	}
	return out
}

// Names returns the package names, sorted.
func Names(ps []*Package) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	sort.Strings(out)
	return out
}
