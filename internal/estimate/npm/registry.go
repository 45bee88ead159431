package npm

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"

	"github.com/stratatools/strata/internal/estimate/fetch"
)

// DefaultRegistry is npm's public registry.
const DefaultRegistry = "https://registry.npmjs.org"

const (
	maxDoc      = 64 << 20
	maxTarball  = 256 << 20
	maxUnpacked = 2 << 30
	maxPackages = 5000
)

// Client asks an npm registry for package sizes.
type Client struct {
	Fetch *fetch.Client
	Cache fetch.Cache
	// Registry is the registry's URL (default DefaultRegistry).
	Registry string
	// Jobs is how many requests run at once (default 8).
	Jobs int
}

// Size is what one package version weighs.
type Size struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// Unpacked is the size of its files in node_modules; Tarball the
	// .tgz's size (what npm's cache keeps), 0 when unknown.
	Unpacked int64 `json:"unpacked"`
	Tarball  int64 `json:"tarball"`
	// From says which: "dist.unpackedSize" or "tarball".
	From string `json:"from"`
	// Deps are the version's dependencies (name → range).
	Deps map[string]string `json:"deps,omitempty"`
}

func (c *Client) registry() string {
	if c.Registry != "" {
		return strings.TrimRight(c.Registry, "/")
	}
	return DefaultRegistry
}

func (c *Client) jobs() int {
	if c.Jobs > 0 {
		return c.Jobs
	}
	return 8
}

// escape is how the registry names a package in a URL (@scope%2fname).
func escape(name string) string {
	return strings.Replace(url.PathEscape(name), "%40", "@", 1)
}

type versionDoc struct {
	Name         string            `json:"name"`
	Version      string            `json:"version"`
	Dependencies map[string]string `json:"dependencies"`
	Dist         struct {
		Tarball      string `json:"tarball"`
		UnpackedSize int64  `json:"unpackedSize"`
	} `json:"dist"`
}

// Sizes returns the size of each name@version (errors for those it could
// not learn, joined).
func (c *Client) Sizes(ctx context.Context, pkgs []Locked) ([]Size, error) {
	type job struct {
		i int
		p Locked
	}
	out := make([]Size, len(pkgs))
	errs := make([]error, len(pkgs))
	ch := make(chan job)
	var wg sync.WaitGroup
	for w := 0; w < c.jobs(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				out[j.i], errs[j.i] = c.size(ctx, j.p.Name, j.p.Version, j.p.Resolved)
			}
		}()
	}
	for i, p := range pkgs {
		if ctx.Err() != nil {
			break
		}
		ch <- job{i, p}
	}
	close(ch)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, errors.Join(errs...)
}

func sizeKey(name, version string) string {
	h := sha256.Sum256([]byte(name + "@" + version))
	return "npm-" + hex.EncodeToString(h[:12]) + ".json"
}

// size learns one package version's size: from the cache, else the
// registry's version document, else its tarball.
func (c *Client) size(ctx context.Context, name, version, resolved string) (Size, error) {
	k := sizeKey(name, version)
	if b, _, err := c.Cache.Read(k, 1<<20); err == nil {
		var s Size
		if json.Unmarshal(b, &s) == nil && s.Name == name && s.Version == version {
			return s, nil
		}
	}
	s := Size{Name: name, Version: version}
	b, err := c.Fetch.Get(ctx, c.registry()+"/"+escape(name)+"/"+url.PathEscape(version), maxDoc)
	if err != nil {
		return s, fmt.Errorf("%s@%s: %w", name, version, err)
	}
	var doc versionDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return s, fmt.Errorf("%s@%s: the registry's document does not parse: %w", name, version, err)
	}
	s.Deps = doc.Dependencies
	tarball := doc.Dist.Tarball
	if tarball == "" {
		tarball = resolved
	}
	if doc.Dist.UnpackedSize > 0 {
		s.Unpacked, s.From = doc.Dist.UnpackedSize, "dist.unpackedSize"
	} else {
		if tarball == "" {
			return s, fmt.Errorf("%s@%s: the registry gives neither dist.unpackedSize nor a tarball", name, version)
		}
		if s.Unpacked, s.Tarball, err = c.tarballSizes(ctx, tarball); err != nil {
			return s, fmt.Errorf("%s@%s: %w", name, version, err)
		}
		s.From = "tarball"
	}
	if enc, err := json.Marshal(s); err == nil {
		_ = c.Cache.Write(k, enc)
	}
	return s, nil
}

// tarballSizes downloads a package tarball and sums its files' sizes.
func (c *Client) tarballSizes(ctx context.Context, u string) (unpacked, tarball int64, err error) {
	err = c.Fetch.WithTimeout(2*fetch.DefaultTimeout).Stream(ctx, u, func(r io.Reader, _ int64) error {
		cr := &countReader{r: io.LimitReader(r, maxTarball)}
		var e error
		unpacked, e = TarballUnpacked(cr)
		if e != nil {
			return e
		}
		_, _ = io.Copy(io.Discard, cr)
		tarball = cr.n
		return nil
	})
	return unpacked, tarball, err
}

// TarballUnpacked sums the sizes of the files in a gzip-compressed tar
// (an npm package tarball).
func TarballUnpacked(r io.Reader) (int64, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return 0, fmt.Errorf("the tarball is not gzip: %w", err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	var n int64
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return 0, fmt.Errorf("reading the tarball: %w", err)
		}
		if h.Typeflag == tar.TypeReg || h.Typeflag == tar.TypeRegA {
			if h.Size < 0 || n+h.Size > maxUnpacked {
				return 0, errors.New("the tarball unpacks to more than 2 GiB")
			}
			n += h.Size
		}
	}
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type packument struct {
	Versions map[string]json.RawMessage `json:"versions"`
	DistTags map[string]string          `json:"dist-tags"`
}

// Resolve works out the packages `npm install` installs for the given
// dependencies (name → range) without a lock file: the newest version
// each range accepts, then their dependencies, one version per name (a
// flat node_modules, as npm hoists). It stops at maxPackages.
func (c *Client) Resolve(ctx context.Context, deps map[string]string) ([]Locked, error) {
	type want struct{ name, rng string }
	var queue []want
	names := make([]string, 0, len(deps))
	for n := range deps {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		queue = append(queue, want{n, deps[n]})
	}
	seen := map[string]bool{}
	var out []Locked
	var errs []error
	for len(queue) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(out) >= maxPackages {
			errs = append(errs, fmt.Errorf("more than %d packages: the rest are not counted", maxPackages))
			break
		}
		// One round: the queue's new names, fetched in parallel.
		var round []want
		for _, w := range queue {
			if !seen[w.name] {
				seen[w.name] = true
				round = append(round, w)
			}
		}
		queue = nil
		vers := make([]string, len(round))
		rerrs := make([]error, len(round))
		var wg sync.WaitGroup
		sem := make(chan struct{}, c.jobs())
		for i, w := range round {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				vers[i], rerrs[i] = c.pick(ctx, w.name, w.rng)
			}()
		}
		wg.Wait()
		var picked []Locked
		for i, w := range round {
			if rerrs[i] != nil {
				errs = append(errs, rerrs[i])
				continue
			}
			picked = append(picked, Locked{Name: w.name, Version: vers[i], Path: "node_modules/" + w.name})
		}
		sizes, err := c.Sizes(ctx, picked)
		if err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			errs = append(errs, err)
		}
		for i, p := range picked {
			out = append(out, p)
			if sizes == nil {
				continue
			}
			dn := make([]string, 0, len(sizes[i].Deps))
			for n := range sizes[i].Deps {
				dn = append(dn, n)
			}
			sort.Strings(dn)
			for _, n := range dn {
				if !seen[n] {
					queue = append(queue, want{n, sizes[i].Deps[n]})
				}
			}
		}
	}
	return out, errors.Join(errs...)
}

// pick returns the newest version of name that rng accepts.
func (c *Client) pick(ctx context.Context, name, rng string) (string, error) {
	if v := parseVersion(rng); v.ok {
		return strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(rng), "v"), "="), nil
	}
	b, err := c.Fetch.Get(ctx, c.registry()+"/"+escape(name), maxDoc, "Accept", "application/vnd.npm.install-v1+json")
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	var doc packument
	if err := json.Unmarshal(b, &doc); err != nil {
		return "", fmt.Errorf("%s: the registry's document does not parse: %w", name, err)
	}
	if t, ok := doc.DistTags[strings.TrimSpace(rng)]; ok {
		return t, nil
	}
	vs := make([]string, 0, len(doc.Versions))
	for v := range doc.Versions {
		vs = append(vs, v)
	}
	if v := maxSatisfying(vs, rng); v != "" {
		return v, nil
	}
	return "", fmt.Errorf("%s: no version matches %q", name, rng)
}
