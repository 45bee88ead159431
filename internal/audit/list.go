package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/distribution/reference"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"golang.org/x/sync/errgroup"

	"github.com/stratatools/strata/internal/vocab"
)

// target is one image to analyse: a platform's manifest in a repository,
// with the tags that name it.
type target struct {
	repo        name.Repository
	tags        []string
	digest      string
	indexDigest string
	// platform is the index's word for the image ("" for a plain
	// manifest, which is analysed whatever its platform).
	platform *v1.Platform
	// manifest is the image's manifest when the listing fetched it (a
	// tag resolved with a GET), so that it is not fetched again.
	manifest *remote.Descriptor
}

func (t *target) ref() string { return t.repo.String() + "@" + t.digest }

// ParseTarget splits REGISTRY[/PREFIX] into the registry and the
// repository prefix. A target that is not a registry name is bad input.
func ParseTarget(s string, insecure bool) (name.Registry, string, error) {
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://"), "/")
	host, prefix, _ := strings.Cut(s, "/")
	var opts []name.Option
	if insecure {
		opts = append(opts, name.Insecure)
	}
	reg, err := name.NewRegistry(host, append(opts, name.StrictValidation)...)
	if err != nil || host == "" {
		return name.Registry{}, "", vocab.Inputf("%q: want REGISTRY[/PREFIX], e.g. registry.example:5000/team", s)
	}
	if prefix != "" {
		// distribution's grammar: lower-case components of letters and
		// digits joined by one '.', '_', '__' or dashes, no empty one.
		if _, err := reference.ParseNamed(host + "/" + prefix); err != nil {
			return name.Registry{}, "", vocab.Inputf("%q: the prefix %q is not a repository path: %v", s, prefix, err)
		}
		if _, err := name.NewRepository(host+"/"+prefix, opts...); err != nil {
			return name.Registry{}, "", vocab.Inputf("%q: the prefix %q is not a repository path: %v", s, prefix, err)
		}
	}
	return reg, prefix, nil
}

// closedCatalog reports whether the registry refused its catalog.
func closedCatalog(err error) bool {
	var te *transport.Error
	if !errors.As(err, &te) {
		return false
	}
	switch te.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusMethodNotAllowed:
		return true
	}
	return false
}

// repositories lists the repositories to audit: opts.Repos under the
// prefix, or the registry's catalog filtered by it.
func (a *auditor) repositories(ctx context.Context) ([]name.Repository, error) {
	var names []string
	if len(a.opts.Repos) > 0 {
		for _, r := range a.opts.Repos {
			r = strings.Trim(r, "/")
			if a.prefix != "" && r != a.prefix && !strings.HasPrefix(r, a.prefix+"/") {
				r = a.prefix + "/" + r
			}
			names = append(names, r)
		}
	} else {
		all, err := remote.Catalog(ctx, a.reg, a.baseOptions()...)
		if err != nil {
			if ctx.Err() != nil {
				return nil, context.Cause(ctx)
			}
			if closedCatalog(err) {
				return nil, vocab.Inputf("%s does not list its repositories (the catalog answered: %v); name them with --repo", a.reg.RegistryStr(), err)
			}
			return nil, fmt.Errorf("listing the repositories of %s: %w", a.reg.RegistryStr(), err)
		}
		for _, r := range all {
			if a.prefix == "" || r == a.prefix || strings.HasPrefix(r, a.prefix+"/") {
				names = append(names, r)
			}
		}
	}
	sort.Strings(names)
	var out []name.Repository
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] || ShardOf(n, a.opts.Shards) != a.opts.Shard {
			continue
		}
		seen[n] = true
		repo, err := name.NewRepository(a.reg.RegistryStr()+"/"+n, a.nameOptions()...)
		if err == nil {
			_, err = reference.ParseNamed(a.reg.RegistryStr() + "/" + n)
		}
		if err != nil {
			if len(a.opts.Repos) > 0 {
				return nil, vocab.Inputf("--repo %q: %v", n, err)
			}
			a.fail(Failure{Ref: n, Error: err.Error(), Attempts: 1})
			continue
		}
		out = append(out, repo)
	}
	return out, nil
}

// targets lists the images of one repository: every tag resolved to its
// manifest, images named by several tags listed once, and the platforms
// asked for taken from multi-platform indexes.
func (a *auditor) targets(ctx context.Context, repo name.Repository) []*target {
	tags, err := remote.List(repo, a.remoteOptions(ctx)...)
	if err != nil {
		if ctx.Err() == nil {
			a.fail(Failure{Ref: repo.String(), Error: "listing tags: " + a.message(err), Attempts: 1})
		}
		return nil
	}
	sort.Strings(tags)
	a.count(func(s *Stats) { s.Repositories++; s.Tags += len(tags) })
	seen := a.seenTags(repo)
	var out []*target
	byDigest := map[string]*target{}
	add := func(t *target, tag string) {
		if prev, ok := byDigest[t.digest]; ok {
			prev.tags = append(prev.tags, tag)
			return
		}
		t.tags = []string{tag}
		byDigest[t.digest] = t
		out = append(out, t)
	}
	// The tags are resolved Jobs at once, then taken in order.
	resolved := make([]resolvedTag, len(tags))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(a.opts.Jobs)
	for i, tag := range tags {
		g.Go(func() error {
			resolved[i] = a.resolve(gctx, repo.Tag(tag), seen[tag])
			return nil
		})
	}
	_ = g.Wait()
	if ctx.Err() != nil {
		return nil
	}
	var now []string
	for i, r := range resolved {
		if r.failure != nil {
			a.fail(*r.failure)
			continue
		}
		now = append(now, tags[i])
		for _, t := range r.targets {
			add(t, tags[i])
		}
	}
	a.keepTags(repo, seen, now)
	return out
}

// tagsKey is the result store's key of the tags a run saw in repo.
func tagsKey(repo name.Repository) string { return "tags:" + repo.String() }

// seenTags are the tags of repo an earlier run resolved (from the result
// store): a tag seen before probably names an image summarised before,
// and is asked for with a HEAD, which registries such as Docker Hub do
// not count as a pull; another is fetched with a GET at once, as its
// manifest will be needed. The record is a hint only (runs at once may
// overwrite each other's): a wrong one costs a request, never a result.
func (a *auditor) seenTags(repo name.Repository) map[string]bool {
	seen := map[string]bool{}
	if a.opts.Results == nil {
		return seen
	}
	raw, ok := a.opts.Results.Get(tagsKey(repo))
	if !ok {
		return seen
	}
	var tags []string
	if json.Unmarshal(raw, &tags) != nil {
		return seen
	}
	for _, t := range tags {
		seen[t] = true
	}
	return seen
}

// keepTags records the tags of repo this run resolved, when they are not
// those seen before.
func (a *auditor) keepTags(repo name.Repository, seen map[string]bool, now []string) {
	if a.opts.Results == nil || len(now) == 0 {
		return
	}
	same := len(now) == len(seen)
	for _, t := range now {
		same = same && seen[t]
	}
	if same {
		return
	}
	if raw, err := json.Marshal(now); err == nil {
		// Tags that cannot be kept are asked for with a GET next time.
		_ = a.opts.Results.Put(tagsKey(repo), raw)
	}
}

// resolvedTag is what a tag names: the images to analyse, or why not.
type resolvedTag struct {
	targets []*target
	failure *Failure
}

// resolve finds the images a tag names. For a tag seen before, a HEAD
// says what it names (registries such as Docker Hub do not count it as a
// pull), and only an index is fetched, for its platforms; another tag's
// manifest is fetched at once, and an image's is handed to its analysis.
func (a *auditor) resolve(ctx context.Context, ref name.Tag, seen bool) resolvedTag {
	fail := func(msg string) resolvedTag {
		return resolvedTag{failure: &Failure{Ref: ref.String(), Error: msg, Attempts: 1}}
	}
	var (
		head *v1.Descriptor
		desc *remote.Descriptor
		err  error
	)
	if seen {
		head, err = remote.Head(ref, a.remoteOptions(ctx)...)
	} else if desc, err = remote.Get(ref, a.remoteOptions(ctx)...); err == nil {
		head = &desc.Descriptor
	}
	if err != nil {
		return fail(a.message(err))
	}
	repo := ref.Context()
	switch {
	case head.MediaType.IsIndex():
		if desc == nil {
			if desc, err = remote.Get(repo.Digest(head.Digest.String()), a.remoteOptions(ctx)...); err != nil {
				return fail(a.message(err))
			}
		}
		idx, err := v1.ParseIndexManifest(bytes.NewReader(desc.Manifest))
		if err != nil {
			return fail("parsing the index: " + err.Error())
		}
		var out resolvedTag
		for _, m := range idx.Manifests {
			if !m.MediaType.IsImage() || m.Platform == nil || m.Platform.OS == "unknown" {
				continue // attestations and nested indexes
			}
			if a.wantPlatform(m.Platform) {
				out.targets = append(out.targets, &target{repo: repo, digest: m.Digest.String(), indexDigest: desc.Digest.String(), platform: m.Platform})
			}
		}
		if len(out.targets) == 0 {
			return fail(fmt.Sprintf("the index has no image for %s", a.platformWords()))
		}
		return out
	case head.MediaType.IsImage():
		return resolvedTag{targets: []*target{{repo: repo, digest: head.Digest.String(), manifest: desc}}}
	}
	return fail(fmt.Sprintf("a %s, not an image", head.MediaType))
}

// wantPlatform reports whether an index's image is one to analyse.
func (a *auditor) wantPlatform(p *v1.Platform) bool {
	if a.opts.AllPlatforms {
		return true
	}
	for _, w := range a.platforms {
		if p.Satisfies(*w) {
			return true
		}
	}
	return false
}

func (a *auditor) platformWords() string {
	if a.opts.AllPlatforms {
		return "any platform"
	}
	var s []string
	for _, p := range a.platforms {
		s = append(s, p.String())
	}
	return strings.Join(s, " or ")
}
