package estimate

import (
	"context"
	"fmt"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/stratatools/strata/internal/estimate/apk"
	"github.com/stratatools/strata/internal/estimate/baseimage"
	"github.com/stratatools/strata/internal/estimate/deb"
	"github.com/stratatools/strata/internal/estimate/fetch"
	"github.com/stratatools/strata/internal/estimate/npm"
	"github.com/stratatools/strata/internal/estimate/pypi"
	"github.com/stratatools/strata/internal/image/source/daemon"
)

// Config sets up an Estimator with every source.
type Config struct {
	// Offline uses no network: the cache and the local Engine only.
	Offline bool
	// CacheDir is the cache folder ("" for the user cache folder's
	// strata/estimate; "-" for none).
	CacheDir string
	// Timeout bounds each network request (default 20 s).
	Timeout time.Duration
	// Engine connects to the local Docker Engine; nil leaves it out.
	Engine func(ctx context.Context) (daemon.EngineClient, error)
	// Platform is the image's platform ("linux/amd64" when empty).
	Platform string
	// NpmRegistry and PyPIIndex override the registries' addresses.
	NpmRegistry, PyPIIndex string
	// MaxAge is how long cached indexes and image digests are trusted
	// before their source is asked again (default 24 h).
	MaxAge time.Duration
}

// archNames are an image platform's architecture in Debian's, apk's and
// wheels' words.
var archNames = map[string][3]string{
	"amd64":   {"amd64", "x86_64", "x86_64"},
	"arm64":   {"arm64", "aarch64", "aarch64"},
	"arm/v7":  {"armhf", "armv7", "armv7l"},
	"arm/v6":  {"armel", "armhf", "armv6l"},
	"386":     {"i386", "x86", "i686"},
	"ppc64le": {"ppc64el", "ppc64le", "ppc64le"},
	"s390x":   {"s390x", "s390x", "s390x"},
	"riscv64": {"riscv64", "riscv64", "riscv64"},
}

// New returns an Estimator whose sources follow cfg.
func New(cfg Config) (*Estimator, error) {
	plat := cfg.Platform
	if plat == "" {
		plat = "linux/amd64"
	}
	p, err := v1.ParsePlatform(plat)
	if err != nil || p.OS != "linux" {
		return nil, fmt.Errorf("--platform %q: want linux/ARCH such as linux/amd64", plat)
	}
	archKey := p.Architecture
	if p.Variant != "" {
		archKey += "/" + p.Variant
	}
	names, ok := archNames[archKey]
	if !ok {
		if names, ok = archNames[p.Architecture]; !ok {
			return nil, fmt.Errorf("--platform %q: architecture %s is not known", plat, archKey)
		}
	}
	var cache fetch.Cache
	switch cfg.CacheDir {
	case "-":
	case "":
		dir, err := fetch.DefaultCacheDir()
		if err == nil {
			cache = fetch.Cache{Dir: dir}
		}
	default:
		cache = fetch.Cache{Dir: cfg.CacheDir}
	}
	client := &fetch.Client{HTTP: fetch.NewHTTPClient(), Timeout: cfg.Timeout, Offline: cfg.Offline}
	e := &Estimator{
		Arch: names[0],
		Deb:  &deb.Loader{Client: client, Cache: cache.Sub("deb"), Arch: names[0], MaxAge: cfg.MaxAge},
		Apk:  &apk.Loader{Client: client, Cache: cache.Sub("apk"), Arch: names[1], MaxAge: cfg.MaxAge},
		Npm:  &npm.Client{Fetch: client, Cache: cache.Sub("npm"), Registry: strings.TrimRight(cfg.NpmRegistry, "/")},
		PyPI: &pypi.Client{Fetch: client, Cache: cache.Sub("pypi"), Index: strings.TrimSuffix(strings.TrimRight(cfg.PyPIIndex, "/"), "/simple"), Arch: names[2]},
		Web:  client,
		Bases: &baseimage.Resolver{
			Registry: !cfg.Offline, Platform: p, Cache: cache.Sub("images"), MaxAge: cfg.MaxAge,
			Timeout: cfg.Timeout,
		},
	}
	if cfg.Engine != nil {
		e.Bases.Engine = cfg.Engine
	}
	return e, nil
}
