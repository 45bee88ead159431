// Package audit is strata audit: it lists the images of a registry (its
// catalog, or the repositories named, filtered by a prefix; every tag;
// the platforms asked for from multi-platform indexes), analyses each one
// as strata image does with a bounded number of workers, and gathers what
// they found (Report): images to rank by wasted bytes, size or findings,
// and the layers they share.
//
// Each distinct layer digest is read once: layer readings go to a
// LayerStore (internal/layercache keeps them on disk, shared by the
// images of this run and by later runs), and an image's summary goes to a
// ResultStore by manifest digest, so that a second run fetches manifests
// and nothing it has read before. Requests answered 429 or 5xx are tried
// again with backoff; an image that cannot be read is a Failure and the
// others go on. Rendering is internal/report/auditreport's.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"golang.org/x/sync/errgroup"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
	regsource "github.com/stratatools/strata/internal/image/source/registry"
	"github.com/stratatools/strata/internal/vocab"
)

// inFlight is how many images per job are analysed at once: most of an
// image's time goes to requests when its layers are known. Images waiting
// for a layer another image reads do not count (see slot).
const inFlight = 4

// ResultStore keeps records by key (layercache.Cache is one).
type ResultStore interface {
	Get(key string) ([]byte, bool)
	Put(key string, data []byte) error
}

// Options configure an audit.
type Options struct {
	// Target is REGISTRY[/PREFIX].
	Target string
	// Repos names the repositories to audit (under the prefix) instead of
	// listing the registry's catalog.
	Repos []string
	// Shard and Shards split the repositories between machines: with
	// Shards > 1 this run audits the repositories whose name hashes to
	// Shard (0 <= Shard < Shards), as a Kubernetes indexed Job's pods
	// would with their completion index (see ShardOf).
	Shard, Shards int
	// Platforms are picked from multi-platform indexes (nil: the host's);
	// AllPlatforms picks every one.
	Platforms    []*v1.Platform
	AllPlatforms bool
	// Jobs bounds the layer blobs read at once, the costly part; 0 is
	// the number of CPUs. Up to inFlight times as many images are
	// analysed at once, so that their requests to the registry overlap.
	Jobs int
	// Insecure allows plain HTTP and unverified TLS.
	Insecure bool
	// Layers and Results keep layer readings and image summaries; nil
	// keeps nothing.
	Layers  image.LayerStore
	Results ResultStore
	// Ignore leaves matching paths out of the waste figures.
	Ignore *image.Matcher
	// Retries is how many times a request answered 429 or 5xx, or a
	// connection that failed, is tried again (0: 4, negative: none); Backoff the
	// first wait, doubled each time (default 500ms).
	Retries int
	Backoff time.Duration
	// Progress, if set, hears how far the audit has come.
	Progress func(Progress)
}

// Progress is how far an audit has come.
type Progress struct {
	Phase        string
	ImagesDone   int
	ImagesTotal  int
	LayersRead   int
	LayersCached int
}

// auditor is one run.
type auditor struct {
	opts      Options
	reg       name.Registry
	prefix    string
	platforms []*v1.Platform
	checks    check.Set
	sem       chan struct{}
	// active and parked are the places of the images in flight (see
	// slot).
	active, parked chan struct{}
	// puller makes every request of the run: one ping, one token exchange
	// per repository, and connections shared by all images.
	puller *remote.Puller

	mu       sync.Mutex
	stats    Stats
	failures []Failure
	done     int
	total    int
}

// Run audits the registry opts.Target names. Bad settings and a registry
// that does not list its repositories (use Repos) are a
// *vocab.InputError; an image, tag or repository that cannot be read is
// recorded in Report.Failures and the audit goes on. A cancelled ctx stops
// it with ctx's error. The images are in listing order; see Report.Rank.
func Run(ctx context.Context, opts Options) (*Report, error) {
	reg, prefix, err := ParseTarget(opts.Target, opts.Insecure)
	if err != nil {
		return nil, err
	}
	if opts.Shards < 0 || opts.Shard < 0 || (opts.Shards > 0 && opts.Shard >= opts.Shards) {
		return nil, vocab.Inputf("shard %d of %d: want 0 <= shard < shards", opts.Shard, opts.Shards)
	}
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	switch {
	case opts.Retries == 0:
		opts.Retries = 4
	case opts.Retries < 0:
		opts.Retries = 0
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 500 * time.Millisecond
	}
	// Each distinct layer is claimed once at a time (memoryStore), and a
	// reading many images share is decoded once (image.MemoStore).
	opts.Layers = image.NewMemoStore(newMemoryStore(opts.Layers), memoryBudget)
	a := &auditor{opts: opts, reg: reg, prefix: prefix, platforms: opts.Platforms, checks: check.All(), sem: make(chan struct{}, opts.Jobs),
		active: make(chan struct{}, opts.Jobs*inFlight), parked: make(chan struct{}, opts.Jobs*parkedPerJob)}
	if a.puller, err = remote.NewPuller(a.baseOptions()...); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	if len(a.platforms) == 0 {
		a.platforms = []*v1.Platform{regsourceHost()}
	}
	start := time.Now()
	rep := &Report{Registry: reg.RegistryStr(), Prefix: prefix, Started: start, Images: []Image{}, Failures: []Failure{}}
	if opts.Shards > 1 {
		rep.Shard = fmt.Sprintf("%d/%d", opts.Shard, opts.Shards)
	}
	if opts.AllPlatforms {
		rep.Platforms = []string{"all"}
	} else {
		for _, p := range a.platforms {
			rep.Platforms = append(rep.Platforms, p.String())
		}
	}

	a.progress("listing repositories")
	repos, err := a.repositories(ctx)
	if err != nil {
		return nil, err
	}
	// Listing and analysis overlap: each repository's images are
	// analysed as soon as its tags are resolved.
	a.progress("listing tags")
	per := make([][]*Image, len(repos))
	analysis, actx := errgroup.WithContext(ctx)
	analysis.SetLimit(opts.Jobs * (inFlight + parkedPerJob))
	listing, lctx := errgroup.WithContext(actx)
	listing.SetLimit(opts.Jobs)
	for i, repo := range repos {
		listing.Go(func() error {
			ts := a.targets(lctx, repo)
			a.mu.Lock()
			a.total += len(ts)
			a.mu.Unlock()
			per[i] = make([]*Image, len(ts))
			for j, t := range ts {
				analysis.Go(func() error {
					if s, err := a.enter(actx); err == nil {
						img, err := a.analyse(withSlot(actx, s), t)
						s.leave()
						if err != nil {
							if actx.Err() == nil {
								a.fail(*err)
							}
						} else {
							per[i][j] = img
						}
					}
					a.mu.Lock()
					a.done++
					a.mu.Unlock()
					a.progress("analysing")
					return nil
				})
			}
			return nil
		})
	}
	_ = listing.Wait()
	_ = analysis.Wait()
	if err := ctx.Err(); err != nil {
		return nil, context.Cause(ctx)
	}
	var images []*Image
	for _, imgs := range per {
		images = append(images, imgs...)
	}
	for _, img := range images {
		if img != nil {
			rep.Images = append(rep.Images, *img)
		}
	}
	rep.Layers = layerUses(rep.Images)
	a.mu.Lock()
	rep.Stats = a.stats
	rep.Failures = append(rep.Failures, a.failures...)
	a.mu.Unlock()
	sort.SliceStable(rep.Failures, func(i, j int) bool { return rep.Failures[i].Ref < rep.Failures[j].Ref })
	rep.Stats.Images = len(rep.Images)
	rep.Stats.DistinctLayers = len(rep.Layers)
	for _, l := range rep.Layers {
		rep.Stats.StoredBytes += l.CompressedSize
		rep.Stats.UnsharedBytes += l.CompressedSize * int64(l.Images)
	}
	rep.Seconds = time.Since(start).Seconds()
	if err := rep.Rank(ByWasted); err != nil {
		return nil, err
	}
	return rep, nil
}

func regsourceHost() *v1.Platform {
	return &v1.Platform{OS: "linux", Architecture: runtime.GOARCH}
}

// analyse analyses one image, from the result store when it has it, and
// tries again after answers that say so.
func (a *auditor) analyse(ctx context.Context, t *target) (*Image, *Failure) {
	key := "image:" + t.digest
	if a.opts.Results != nil {
		if raw, ok := a.opts.Results.Get(key); ok {
			var img Image
			if err := json.Unmarshal(raw, &img); err == nil {
				a.count(func(s *Stats) { s.ImagesFromCache++ })
				img.FromCache = true
				a.name(&img, t)
				return &img, nil
			}
		}
	}
	var (
		res      *image.Result
		err      error
		attempts int
	)
	for attempts = 1; ; attempts++ {
		res, err = a.read(ctx, t)
		if err == nil || ctx.Err() != nil || attempts > a.opts.Retries || !retryable(err) {
			break
		}
		a.count(func(s *Stats) { s.Retries++ })
		if werr := sleep(ctx, backoff(a.opts.Backoff, attempts)); werr != nil {
			err = werr
			break
		}
	}
	if err != nil {
		return nil, &Failure{Ref: t.ref(), Error: a.message(err), Attempts: attempts}
	}
	img := summarize(res)
	if a.opts.Results != nil {
		if raw, err := json.Marshal(img); err == nil {
			// A summary that cannot be kept is made again next time.
			_ = a.opts.Results.Put(key, raw)
		}
	}
	a.name(&img, t)
	return &img, nil
}

// name puts the repository, tags and digests on an image's summary.
func (a *auditor) name(img *Image, t *target) {
	img.Repository = strings.TrimPrefix(t.repo.String(), a.reg.RegistryStr()+"/")
	img.Tags = append([]string(nil), t.tags...)
	img.Digest, img.IndexDigest = t.digest, t.indexDigest
}

// read runs strata image's analysis of one image from the registry.
func (a *auditor) read(ctx context.Context, t *target) (*image.Result, error) {
	opts := regsource.Options{Insecure: a.opts.Insecure, Platform: t.platform, Remote: []remote.Option{remote.Reuse(a.puller)}, Manifest: t.manifest}
	src, err := regsource.New(t.ref(), opts)
	if err != nil {
		return nil, err
	}
	return image.Analyze(ctx, &meteredSource{Source: src, a: a}, image.Options{
		Jobs: a.opts.Jobs, Checks: a.checks, Layers: a.opts.Layers, Ignore: a.opts.Ignore,
	})
}

// baseOptions are the registry requests' options: strata image's
// (credentials from the Docker configuration, timeouts, TLS verification
// and no credentials over plain HTTP unless Insecure), and retries of 429
// and 5xx answers with backoff.
func (a *auditor) baseOptions() []remote.Option {
	return append(regsource.RemoteOptions(a.reg.RegistryStr(), regsource.Options{Insecure: a.opts.Insecure}),
		remote.WithRetryStatusCodes(retryStatus...),
		remote.WithRetryBackoff(remote.Backoff{Duration: a.opts.Backoff, Factor: 2, Jitter: 0.1, Steps: a.opts.Retries + 1}),
	)
}

// remoteOptions are one request's options: the run's puller, and ctx.
func (a *auditor) remoteOptions(ctx context.Context) []remote.Option {
	return []remote.Option{remote.WithContext(ctx), remote.Reuse(a.puller)}
}

func (a *auditor) nameOptions() []name.Option {
	if a.opts.Insecure {
		return []name.Option{name.Insecure}
	}
	return nil
}

func (a *auditor) fail(f Failure) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.failures = append(a.failures, f)
}

func (a *auditor) count(fn func(*Stats)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	fn(&a.stats)
}

func (a *auditor) progress(phase string) {
	if a.opts.Progress == nil {
		return
	}
	a.mu.Lock()
	p := Progress{Phase: phase, ImagesDone: a.done, ImagesTotal: a.total, LayersRead: a.stats.LayersRead, LayersCached: a.stats.LayersFromCache}
	a.mu.Unlock()
	a.opts.Progress(p)
}

// message words an error for the report, without credentials.
func (a *auditor) message(err error) string { return redact(err.Error()) }

// ShardOf is the shard of shards a repository (its path in the registry,
// without the host) belongs to: FNV-1a of the path, so that every machine
// splits a registry alike.
func ShardOf(repo string, shards int) int {
	if shards <= 1 {
		return 0
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(repo))
	return int(h.Sum32() % uint32(shards))
}

// CacheNamespaces name the layer cache's namespaces for the readings and
// the image summaries of this strata version: readings depend on the
// checks (which files they capture) and on the reading format, summaries
// on the checks, the ignore patterns and strata itself.
func CacheNamespaces(version string, ignore []string) (layers, results string) {
	h := sha256.New()
	fmt.Fprintf(h, "reading %d\n", image.LayerRecordVersion)
	for _, r := range check.All() {
		fmt.Fprintf(h, "%s\n", r.ID)
	}
	fmt.Fprintf(h, "strata %s\n", version)
	layerSum := hex.EncodeToString(h.Sum(nil))[:16]
	for _, p := range ignore {
		fmt.Fprintf(h, "ignore %s\n", p)
	}
	return "layers-" + layerSum, "images-" + hex.EncodeToString(h.Sum(nil))[:16]
}
