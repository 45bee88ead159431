package build

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// Release deletes the image a build pushed to ref (as Result.Tag names
// it) from the registry now, and forgets it; the manifest stays while
// another pushed reference still names it. One the daemon did not push,
// or that is already gone, is fine.
func (d *Daemon) Release(ref string) error {
	d.mu.Lock()
	var keep []pushedImage
	var gone []string
	for _, p := range d.pushed {
		if p.ref == ref {
			gone = append(gone, p.digest)
			continue
		}
		keep = append(keep, p)
	}
	d.pushed = keep
	var drop []string
	for _, g := range gone {
		used := false
		for _, p := range keep {
			used = used || p.digest == g
		}
		if !used {
			drop = append(drop, g)
		}
	}
	d.mu.Unlock()
	return d.deleteAll(drop)
}

// Cleanup deletes every image the daemon pushed, also after a failure or
// an interruption (it runs on its own context, bounded by
// CleanupTimeout). A registry that refuses deletions (they are off by
// default in the distribution registry) is named in the error.
func (d *Daemon) Cleanup() error {
	d.mu.Lock()
	pushed := d.pushed
	d.pushed = nil
	d.mu.Unlock()
	var digests []string
	seen := map[string]bool{}
	for _, p := range pushed {
		if !seen[p.digest] {
			seen[p.digest] = true
			digests = append(digests, p.digest)
		}
	}
	return d.deleteAll(digests)
}

func (d *Daemon) deleteAll(refs []string) error {
	if len(refs) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), CleanupTimeout)
	defer cancel()
	var errs []error
	for _, p := range refs {
		r, err := name.NewDigest(p, d.nameOptions()...)
		if err != nil {
			errs = append(errs, fmt.Errorf("deleting pushed image %s: %w", p, err))
			continue
		}
		err = remote.Delete(r, remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain), remote.WithUserAgent("strata"))
		var te *transport.Error
		switch {
		case err == nil:
		case errors.As(err, &te) && te.StatusCode == http.StatusNotFound:
		case errors.As(err, &te) && te.StatusCode == http.StatusMethodNotAllowed:
			errs = append(errs, fmt.Errorf("deleting pushed image %s: the registry does not allow deletions; remove it there yourself", p))
		default:
			errs = append(errs, fmt.Errorf("deleting pushed image %s: %w", p, err))
		}
	}
	return errors.Join(errs...)
}

func (d *Daemon) nameOptions() []name.Option {
	if d.opts.Insecure {
		return []name.Option{name.Insecure}
	}
	return nil
}
