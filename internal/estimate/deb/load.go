package deb

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/ulikunitz/xz"

	"github.com/stratatools/strata/internal/estimate/fetch"
)

// Bounds on what is read from a mirror or the cache.
const (
	maxRelease     = 16 << 20
	maxPackagesGz  = 256 << 20
	maxPackagesRaw = 1 << 30
	maxCacheFile   = 512 << 20
	// DefaultMaxAge is how long a cached Release is used before the
	// mirror is asked again.
	DefaultMaxAge = 24 * time.Hour
	bulkTimeout   = 3 * time.Minute
)

// Loader fetches the package indexes of apt sources, with a cache.
type Loader struct {
	Client *fetch.Client
	// Cache keeps Release files and the parsed Packages files.
	Cache fetch.Cache
	// Arch is the native architecture (default amd64).
	Arch string
	// MaxAge is how long a cached Release is trusted (default
	// DefaultMaxAge).
	MaxAge time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// ListOptions are the apt settings that decide what `apt-get update`
// stores in /var/lib/apt/lists.
type ListOptions struct {
	// GzipIndexes keeps the indexes compressed (Acquire::GzipIndexes).
	GzipIndexes bool
	// NoLanguages fetches no Translation files (Acquire::Languages "none").
	NoLanguages bool
}

// SuiteInfo says where one source's index came from.
type SuiteInfo struct {
	Source Source
	// Date is the Release file's date.
	Date time.Time
	// FromCache is true when the Release came from the cache without
	// asking the mirror; Stale when the mirror was asked and failed.
	FromCache, Stale bool
	// Err is why the source's index could not be had at all.
	Err error
	// Packages counts the packages read; PackagesSize sums the
	// uncompressed Packages files.
	Packages     int
	PackagesSize int64
}

// Loaded is the outcome of Load.
type Loaded struct {
	Index  *Index
	Suites []SuiteInfo
	// Lists are the files `apt-get update` stores, with their sizes.
	Lists []ListFile
	// PackagesSize sums the uncompressed Packages files (apt's binary
	// cache grows with them).
	PackagesSize int64
}

// ListFile is one file in /var/lib/apt/lists.
type ListFile struct {
	Name string
	Size int64
	// Modelled is true when Size is worked out rather than listed (a
	// file apt keeps recompressed with lz4).
	Modelled bool
}

// LZ4Ratio is what apt's lz4 copy of a Packages file weighs against the
// file (18.8 MB for Debian 12's 50.1 MB main), when it keeps the lists
// compressed (Acquire::GzipIndexes).
const LZ4Ratio = 0.376

// ListsModelled reports whether some list sizes are modelled.
func (l *Loaded) ListsModelled() bool {
	for _, f := range l.Lists {
		if f.Modelled {
			return true
		}
	}
	return false
}

// ListsSize sums the lists' sizes.
func (l *Loaded) ListsSize() int64 {
	var n int64
	for _, f := range l.Lists {
		n += f.Size
	}
	return n
}

// Complete reports whether every source was loaded.
func (l *Loaded) Complete() bool {
	for _, s := range l.Suites {
		if s.Err != nil {
			return false
		}
	}
	return len(l.Suites) > 0
}

func (l *Loader) arch() string {
	if l.Arch == "" {
		return "amd64"
	}
	return l.Arch
}

func (l *Loader) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

func (l *Loader) maxAge() time.Duration {
	if l.MaxAge > 0 {
		return l.MaxAge
	}
	return DefaultMaxAge
}

// Load fetches (or takes from the cache) the Release and Packages files
// of every source and merges them into one index. A source that cannot
// be had is reported in its SuiteInfo; Load itself fails only when ctx
// ends.
func (l *Loader) Load(ctx context.Context, sources []Source, lo ListOptions) (*Loaded, error) {
	out := &Loaded{Index: NewIndex(l.arch()), Suites: make([]SuiteInfo, len(sources))}
	pkgs := make([][]*Package, len(sources))
	lists := make([][]ListFile, len(sources))
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			info, ps, lf := l.loadSource(ctx, src, lo)
			out.Suites[i], pkgs[i], lists[i] = info, ps, lf
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i := range sources {
		for _, p := range pkgs[i] {
			out.Index.Add(p)
		}
		out.Lists = append(out.Lists, lists[i]...)
		out.PackagesSize += out.Suites[i].PackagesSize
	}
	return out, nil
}

// cachedRelease is a Release as kept in the cache.
type cachedRelease struct {
	Release *Release `json:"release"`
	// Name and Size are the file apt keeps of it (InRelease, or
	// Release with Release.gpg).
	Files   []ListFile `json:"files"`
	Fetched time.Time  `json:"fetched"`
}

func key(prefix string, parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return prefix + hex.EncodeToString(h[:12])
}

// listName is how apt names a file of a source in /var/lib/apt/lists.
func listName(uri, path string) string {
	u := uri
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.LastIndex(u, "@"); i >= 0 {
		u = u[i+1:]
	}
	return strings.ReplaceAll(strings.Trim(u, "/")+"/"+path, "/", "_")
}

func (l *Loader) loadSource(ctx context.Context, src Source, lo ListOptions) (SuiteInfo, []*Package, []ListFile) {
	info, ps, lists := l.loadSourceOnce(ctx, src, lo, false)
	if info.FromCache && !info.Stale && errors.Is(info.Err, errChanged) {
		// The mirror moved on since the cached Release: ask it again.
		info, ps, lists = l.loadSourceOnce(ctx, src, lo, true)
	}
	return info, ps, lists
}

// errChanged is an index file that is not the one the Release lists.
var errChanged = errors.New("the file differs from what the Release file lists")

func (l *Loader) loadSourceOnce(ctx context.Context, src Source, lo ListOptions, force bool) (SuiteInfo, []*Package, []ListFile) {
	info := SuiteInfo{Source: src}
	cr, err := l.release(ctx, src, &info, force)
	if err != nil {
		info.Err = err
		return info, nil, nil
	}
	info.Date = cr.Release.Date
	lists := append([]ListFile(nil), cr.Files...)
	var all []*Package
	for _, comp := range src.Components {
		paths := []string{comp + "/binary-" + l.arch() + "/Packages"}
		if !cr.Release.NoArchAll {
			if _, ok := cr.Release.Files[comp+"/binary-all/Packages"]; ok {
				paths = append(paths, comp+"/binary-all/Packages")
			}
		}
		for _, p := range paths {
			lf, ok := listFile(cr.Release, p, lo.GzipIndexes)
			if !ok {
				if strings.Contains(p, "binary-all") {
					continue
				}
				info.Err = errors.Join(info.Err, fmt.Errorf("%s %s: the Release file lists no %s", fetch.Host(src.URI), src.Suite, p))
				continue
			}
			lf.Name = listName(src.URI, "dists/"+src.Suite+"/"+lf.Name)
			lists = append(lists, lf)
			ps, err := l.packages(ctx, src, cr.Release, p)
			if err != nil {
				info.Err = errors.Join(info.Err, err)
				continue
			}
			info.Packages += len(ps)
			info.PackagesSize += cr.Release.Files[p].Size
			all = append(all, ps...)
		}
		if !lo.NoLanguages {
			if lf, ok := listFile(cr.Release, comp+"/i18n/Translation-en", lo.GzipIndexes); ok {
				lf.Name = listName(src.URI, "dists/"+src.Suite+"/"+lf.Name)
				lists = append(lists, lf)
			}
		}
	}
	return info, all, lists
}

// listFile is the file apt keeps for the index path p: the uncompressed
// file, or, when it keeps indexes compressed (GzipIndexes), its own lz4
// copy (apt 1.5 and later recompress what they download with lz4).
func listFile(rel *Release, p string, compressed bool) (ListFile, bool) {
	fi, ok := rel.Files[p]
	if !ok {
		return ListFile{}, false
	}
	if compressed {
		return ListFile{Name: p + ".lz4", Size: int64(float64(fi.Size) * LZ4Ratio), Modelled: true}, true
	}
	return ListFile{Name: p, Size: fi.Size}, true
}

// release returns the source's Release: from the cache while it is
// fresh, else from the mirror (InRelease, then Release), else from the
// cache however old, noting that it is stale.
func (l *Loader) release(ctx context.Context, src Source, info *SuiteInfo, force bool) (*cachedRelease, error) {
	k := key("release-", src.URI, src.Suite) + ".json"
	var cached *cachedRelease
	if b, _, err := l.Cache.Read(k, maxRelease); err == nil {
		var cr cachedRelease
		if json.Unmarshal(b, &cr) == nil && cr.Release != nil {
			cached = &cr
		}
	}
	if cached != nil && !force && l.now().Sub(cached.Fetched) < l.maxAge() {
		info.FromCache = true
		return cached, nil
	}
	base := src.URI + "/dists/" + src.Suite + "/"
	var files []ListFile
	b, err := l.Client.Get(ctx, base+"InRelease", maxRelease)
	if err == nil {
		files = []ListFile{{Name: listName(src.URI, "dists/"+src.Suite+"/InRelease"), Size: int64(len(b))}}
	} else if fetch.NotFound(err) {
		b, err = l.Client.Get(ctx, base+"Release", maxRelease)
		if err == nil {
			files = []ListFile{{Name: listName(src.URI, "dists/"+src.Suite+"/Release"), Size: int64(len(b))}}
			if sig, serr := l.Client.Get(ctx, base+"Release.gpg", 1<<20); serr == nil {
				files = append(files, ListFile{Name: listName(src.URI, "dists/"+src.Suite+"/Release.gpg"), Size: int64(len(sig))})
			}
		}
	}
	if err != nil {
		if cached != nil && !errors.Is(err, context.Canceled) {
			info.FromCache, info.Stale = true, true
			return cached, nil
		}
		return nil, fmt.Errorf("%s %s: %w", fetch.Host(src.URI), src.Suite, err)
	}
	rel, err := ParseRelease(b)
	if err != nil {
		return nil, fmt.Errorf("%sInRelease: %w", fetch.Redact(base), err)
	}
	cr := &cachedRelease{Release: rel, Files: files, Fetched: l.now()}
	if enc, err := json.Marshal(cr); err == nil {
		_ = l.Cache.Write(k, enc) // a cache that cannot be written only costs time
	}
	return cr, nil
}

// packages returns the packages of one Packages file, from the cache
// (keyed by the file's checksum) or the mirror.
func (l *Loader) packages(ctx context.Context, src Source, rel *Release, p string) ([]*Package, error) {
	fi := rel.Files[p]
	id := fi.SHA256
	if id == "" {
		id = fmt.Sprintf("%s-%d", rel.Date.Format(time.RFC3339), fi.Size)
	}
	k := key("packages-", src.URI, src.Suite, p, id) + ".gob.gz"
	if b, _, err := l.Cache.Read(k, maxCacheFile); err == nil {
		if ps, err := decodePackages(b); err == nil {
			return ps, nil
		}
	}
	url := src.URI + "/dists/" + src.Suite + "/" + p
	var ps []*Package
	// The compressions apt fetches, in the order it prefers them here:
	// gzip and xz (the mirror may serve only one of them), then none.
	suffix, read := "", readPackagesPlain
	switch {
	case has(rel, p+".gz"):
		suffix, read = ".gz", readPackagesGz
	case has(rel, p+".xz"):
		suffix, read = ".xz", readPackagesXz
	}
	want := rel.Files[p+suffix]
	fetchErr := l.Client.WithTimeout(bulkTimeout).Stream(ctx, url+suffix, func(r io.Reader, _ int64) error {
		var err error
		ps, err = read(r, want)
		return err
	})
	if fetchErr != nil {
		return nil, fmt.Errorf("%s %s %s: %w", fetch.Host(src.URI), src.Suite, p+suffix, fetchErr)
	}
	if b, err := encodePackages(ps); err == nil {
		_ = l.Cache.Write(k, b)
	}
	return ps, nil
}

// checked reads r, counting and hashing it, and fails when the size or
// the SHA-256 differ from what the Release says.
type checked struct {
	r    io.Reader
	n    int64
	max  int64
	want FileInfo
	h    interface {
		io.Writer
		Sum([]byte) []byte
	}
}

func newChecked(r io.Reader, want FileInfo, max int64) *checked {
	return &checked{r: r, want: want, max: max, h: sha256.New()}
}

func (c *checked) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.h.Write(p[:n])
	if c.n > c.max {
		return n, fmt.Errorf("larger than %d bytes", c.max)
	}
	return n, err
}

func (c *checked) verify() error {
	if c.want.Size > 0 && c.n != c.want.Size {
		return fmt.Errorf("%w: got %d bytes, the Release file says %d", errChanged, c.n, c.want.Size)
	}
	if c.want.SHA256 != "" && hex.EncodeToString(c.h.Sum(nil)) != c.want.SHA256 {
		return fmt.Errorf("%w: its SHA-256 differs (the mirror is being updated? try again)", errChanged)
	}
	return nil
}

func readPackagesGz(r io.Reader, want FileInfo) ([]*Package, error) {
	c := newChecked(r, want, maxPackagesGz)
	zr, err := gzip.NewReader(c)
	if err != nil {
		return nil, fmt.Errorf("not gzip: %w", err)
	}
	defer zr.Close()
	var ps []*Package
	if err := ParsePackages(io.LimitReader(zr, maxPackagesRaw), func(p *Package) error { ps = append(ps, p); return nil }); err != nil {
		return nil, err
	}
	if _, err := io.Copy(io.Discard, c); err != nil {
		return nil, err
	}
	return ps, c.verify()
}

func has(rel *Release, p string) bool {
	_, ok := rel.Files[p]
	return ok
}

func readPackagesXz(r io.Reader, want FileInfo) ([]*Package, error) {
	c := newChecked(r, want, maxPackagesGz)
	zr, err := xz.NewReader(bufio.NewReader(c))
	if err != nil {
		return nil, fmt.Errorf("not xz: %w", err)
	}
	var ps []*Package
	if err := ParsePackages(io.LimitReader(zr, maxPackagesRaw), func(p *Package) error { ps = append(ps, p); return nil }); err != nil {
		return nil, err
	}
	if _, err := io.Copy(io.Discard, c); err != nil {
		return nil, err
	}
	return ps, c.verify()
}

func readPackagesPlain(r io.Reader, want FileInfo) ([]*Package, error) {
	c := newChecked(r, want, maxPackagesRaw)
	var ps []*Package
	if err := ParsePackages(c, func(p *Package) error { ps = append(ps, p); return nil }); err != nil {
		return nil, err
	}
	return ps, c.verify()
}

func encodePackages(ps []*Package) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := gob.NewEncoder(zw).Encode(ps); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decodePackages(b []byte) ([]*Package, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var ps []*Package
	if err := gob.NewDecoder(io.LimitReader(zr, maxPackagesRaw)).Decode(&ps); err != nil {
		return nil, err
	}
	return ps, nil
}

// Describe says in a few words where the index came from, for the
// report: "deb.debian.org/debian bookworm (Release of 2026-07-11)".
func (l *Loaded) Describe() string {
	var parts []string
	for _, s := range l.Suites {
		if s.Err != nil {
			continue
		}
		d := fmt.Sprintf("%s %s", strings.TrimPrefix(strings.TrimPrefix(fetch.Redact(s.Source.URI), "http://"), "https://"), s.Source.Suite)
		if !s.Date.IsZero() {
			d += " of " + s.Date.UTC().Format("2006-01-02")
		}
		if s.Stale {
			d += " (cached; mirror unreachable)"
		}
		parts = append(parts, d)
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
