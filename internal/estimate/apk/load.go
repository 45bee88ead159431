package apk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/stratatools/strata/internal/estimate/fetch"
)

const (
	maxIndexGz  = 64 << 20
	maxIndexRaw = 512 << 20
	// DefaultMaxAge is how long a cached index is used before the
	// repository is asked again.
	DefaultMaxAge = 24 * time.Hour
)

// Loader fetches the APKINDEX of repositories, with a cache.
type Loader struct {
	Client *fetch.Client
	Cache  fetch.Cache
	// Arch is apk's architecture name (default x86_64).
	Arch   string
	MaxAge time.Duration
	Now    func() time.Time
}

// RepoInfo says where one repository's index came from.
type RepoInfo struct {
	URL string
	// IndexSize is the APKINDEX.tar.gz's size: what `apk update` keeps
	// in /var/cache/apk.
	IndexSize int64
	Fetched   time.Time
	FromCache bool
	Stale     bool
	Err       error
	Packages  int
}

// Loaded is the merged index of the repositories.
type Loaded struct {
	Index *Index
	Repos []RepoInfo
}

// Complete reports whether every repository was read.
func (l *Loaded) Complete() bool {
	for _, r := range l.Repos {
		if r.Err != nil {
			return false
		}
	}
	return len(l.Repos) > 0
}

// IndexSize sums the index archives' sizes.
func (l *Loaded) IndexSize() int64 {
	var n int64
	for _, r := range l.Repos {
		n += r.IndexSize
	}
	return n
}

type cachedIndex struct {
	URL       string     `json:"url"`
	IndexSize int64      `json:"index_size"`
	Fetched   time.Time  `json:"fetched"`
	Packages  []*Package `json:"packages"`
}

func (l *Loader) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Load reads the index of each repository (in order: the first listing
// a package wins).
func (l *Loader) Load(ctx context.Context, repos []string) (*Loaded, error) {
	arch := l.Arch
	if arch == "" {
		arch = "x86_64"
	}
	maxAge := l.MaxAge
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	out := &Loaded{Index: NewIndex(), Repos: make([]RepoInfo, len(repos))}
	pkgs := make([][]*Package, len(repos))
	var wg sync.WaitGroup
	for i, repo := range repos {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out.Repos[i], pkgs[i] = l.loadRepo(ctx, repo+"/"+arch+"/APKINDEX.tar.gz", maxAge)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, ps := range pkgs {
		for _, p := range ps {
			out.Index.Add(p)
		}
	}
	return out, nil
}

func (l *Loader) loadRepo(ctx context.Context, url string, maxAge time.Duration) (RepoInfo, []*Package) {
	info := RepoInfo{URL: url}
	h := sha256.Sum256([]byte(url))
	k := "apkindex-" + hex.EncodeToString(h[:12]) + ".json"
	var cached *cachedIndex
	if b, _, err := l.Cache.Read(k, maxIndexRaw); err == nil {
		var ci cachedIndex
		if json.Unmarshal(b, &ci) == nil && ci.URL == url {
			cached = &ci
		}
	}
	use := func(ci *cachedIndex, stale bool) (RepoInfo, []*Package) {
		info.IndexSize, info.Fetched, info.FromCache, info.Stale, info.Packages = ci.IndexSize, ci.Fetched, true, stale, len(ci.Packages)
		return info, ci.Packages
	}
	if cached != nil && l.now().Sub(cached.Fetched) < maxAge {
		return use(cached, false)
	}
	var ps []*Package
	var size int64
	err := l.Client.Stream(ctx, url, func(r io.Reader, _ int64) error {
		b, err := io.ReadAll(io.LimitReader(r, maxIndexGz+1))
		if err != nil {
			return err
		}
		if len(b) > maxIndexGz {
			return fmt.Errorf("larger than %d bytes", maxIndexGz)
		}
		size = int64(len(b))
		ps, err = ParseIndexArchive(bytes.NewReader(b), maxIndexRaw)
		return err
	})
	if err != nil {
		if cached != nil && !errors.Is(err, context.Canceled) {
			return use(cached, true)
		}
		info.Err = err
		return info, nil
	}
	ci := &cachedIndex{URL: url, IndexSize: size, Fetched: l.now(), Packages: ps}
	if b, err := json.Marshal(ci); err == nil {
		_ = l.Cache.Write(k, b)
	}
	info.IndexSize, info.Fetched, info.Packages = size, ci.Fetched, len(ps)
	return info, ps
}
