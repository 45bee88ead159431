package check

import (
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/vocab"
)

// cacheSpec describes one package manager's cache or index.
type cacheSpec struct {
	id, name, what string
	// dirs are the cache directories (Matcher patterns, full match).
	dirs []string
	// keep are paths inside a cache that are not cache content.
	keep []string
	fix  string
}

var cacheSpecs = []cacheSpec{
	{"SI010", "apt-lists", "apt package lists", []string{"var/lib/apt/lists"}, []string{"lock", "partial", "auxfiles"},
		"run `rm -rf /var/lib/apt/lists/*` in the same RUN as `apt-get update`, or mount a cache (RUN --mount=type=cache,target=/var/lib/apt/lists)"},
	{"SI011", "apt-archives", "apt package archives", []string{"var/cache/apt"}, []string{"archives/lock", "archives/partial"},
		"run `apt-get clean` in the same RUN as `apt-get install`, or mount a cache (RUN --mount=type=cache,target=/var/cache/apt)"},
	{"SI012", "apk-cache", "apk package cache", []string{"var/cache/apk", "etc/apk/cache"}, nil,
		"use `apk add --no-cache`"},
	{"SI013", "dnf-yum-cache", "dnf/yum package cache", []string{"var/cache/dnf", "var/cache/yum", "var/cache/microdnf", "var/cache/zypp"}, nil,
		"run `dnf clean all` (or `yum clean all`) in the same RUN as the install, or mount a cache"},
	{"SI014", "pip-cache", "pip cache", []string{"**/.cache/pip"}, nil,
		"use `pip install --no-cache-dir`, or mount a cache (RUN --mount=type=cache,target=/root/.cache/pip)"},
	{"SI015", "npm-cache", "npm cache", []string{"**/.npm/_cacache"}, nil,
		"run `npm cache clean --force` in the same RUN as `npm ci`, or mount a cache (RUN --mount=type=cache,target=/root/.npm)"},
	{"SI016", "yarn-cache", "yarn cache", []string{"usr/local/share/.cache/yarn", "**/.cache/yarn", "**/.yarn/berry/cache"}, nil,
		"run `yarn cache clean` in the same RUN as `yarn install`, or mount a cache"},
	{"SI017", "go-build-cache", "Go build cache", []string{"**/.cache/go-build", "**/go/pkg/mod/cache"}, nil,
		"build in a separate stage and copy only the binary, or mount a cache (RUN --mount=type=cache,target=/root/.cache/go-build)"},
}

// nodeModulesCache is where JavaScript build tools keep their caches.
const nodeModulesCache = "**/node_modules/.cache"

// cacheRules report package manager caches and indexes left in the image.
func cacheRules() []Rule {
	var rules []Rule
	for _, spec := range cacheSpecs {
		spec := spec
		m := matcher(spec.dirs...)
		rules = append(rules, Rule{
			ID: spec.id, Name: spec.name, Severity: vocab.Warning,
			Category: vocab.Cache, Checklist: vocab.SizeCleanCaches,
			Doc: Doc{
				Summary: fmt.Sprintf("The %s is left in the image", spec.what),
				Why: fmt.Sprintf("The %s is only needed while packages are installed; left behind it makes every pull larger. Fix: %s.",
					spec.what, spec.fix),
			},
			Check: func(r *image.Result) []Hit { return checkCache(r, spec, m) },
		})
	}
	rules = append(rules, Rule{
		ID: "SI022", Name: "node-modules-cache", Severity: vocab.Warning,
		Category: vocab.Cache, Checklist: vocab.SizeCleanCaches,
		Doc: Doc{
			Summary: "A node_modules/.cache directory is left in the image",
			Why: "Build tools (babel, webpack, eslint, terser) keep their caches in node_modules/.cache; " +
				"they are useless at run time. Build in a separate stage, or remove the cache in the same RUN.",
		},
		Check: func(r *image.Result) []Hit {
			m := matcher(nodeModulesCache)
			return checkCache(r, cacheSpec{what: "node_modules/.cache", fix: "build in a separate stage"}, m)
		},
	})
	return rules
}

// checkCache finds the cache directories in the final filesystem and
// reports the bytes user layers put there.
func checkCache(r *image.Result, spec cacheSpec, m *image.Matcher) []Hit {
	var hits []Hit
	files := r.Files
	for i := 0; i < len(files); i++ {
		d := files[i]
		if d.Kind != image.KindDir || !m.MatchExact(d.Path) {
			continue
		}
		prefix := d.Path + "/"
		byLayer := map[int]int64{}
		var bytes int64
		n := 0
		j := i + 1
		for ; j < len(files) && strings.HasPrefix(files[j].Path, prefix); j++ {
			f := files[j]
			if f.Kind != image.KindFile || !userLayer(r, f.Layer) || kept(spec.keep, strings.TrimPrefix(f.Path, prefix)) {
				continue
			}
			byLayer[f.Layer] += f.Size
			bytes += f.Size
			n++
		}
		i = j - 1
		if n == 0 {
			continue
		}
		layer, most := 0, int64(-1)
		for l, b := range byLayer {
			if b > most || (b == most && l < layer) {
				layer, most = l, b
			}
		}
		hits = append(hits, Hit{
			Message: fmt.Sprintf("%s left in /%s: %d files, %s, written by %s; %s",
				spec.what, d.Path, n, vocab.FormatSize(bytes), layerName(r, layer), spec.fix),
			Path: d.Path, Layer: layer, Bytes: bytes,
		})
	}
	return hits
}

// kept reports whether rel (a path inside a cache) is bookkeeping.
func kept(keep []string, rel string) bool {
	for _, k := range keep {
		if rel == k || strings.HasPrefix(rel, k+"/") {
			return true
		}
	}
	return false
}
