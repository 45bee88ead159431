package build

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"
)

// CleanupTimeout bounds the removal of what a Tracker recorded. Cleanup
// runs on a fresh context so that it also happens after the caller's
// context was cancelled (Ctrl-C).
const CleanupTimeout = 2 * time.Minute

// LabelCreatedBy marks the containers strata creates; its value names the
// command that created them.
const LabelCreatedBy = "org.stratatools.strata.created-by"

// Tracker records the containers and images strata creates in the Engine,
// so that they are removed at the end of a command, also when it fails or
// is interrupted. Record a name before the operation that creates it: a
// name that never came to exist costs nothing at cleanup.
// A Tracker is safe for concurrent use.
type Tracker struct {
	cli *client.Client

	mu         sync.Mutex
	containers []string
	images     []string // tags first, in creation order
	orphans    []string // untagged intermediate images (classic builder)
}

// NewTracker returns an empty tracker for the Engine behind cli. With a
// nil cli (no Engine: a BuildKit daemon pushing to a registry) it records
// names and removes nothing.
func NewTracker(cli *client.Client) *Tracker { return &Tracker{cli: cli} }

// Container records a container ID or name.
func (t *Tracker) Container(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.containers = append(t.containers, id)
}

// Image records an image tag (or ID) strata creates.
func (t *Tracker) Image(ref string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.images = append(t.images, ref)
}

// intermediate records an untagged image a classic build step made. Such
// images outlive a failed build; they go after the tags, and one still
// used by a kept image is left alone.
func (t *Tracker) intermediate(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.orphans = append(t.orphans, id)
}

// Images returns the image references recorded so far.
func (t *Tracker) Images() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.images...)
}

// Release removes the recorded image ref now, with the untagged parents
// only it used, and forgets it. One already gone is fine.
func (t *Tracker) Release(ref string) error {
	if t.cli == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), CleanupTimeout)
	defer cancel()
	_, err := t.cli.ImageRemove(ctx, ref, image.RemoveOptions{Force: true, PruneChildren: true})
	if err != nil && !errdefs.IsNotFound(err) {
		return fmt.Errorf("removing image %s: %w", ref, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, r := range t.images {
		if r == ref {
			t.images = append(t.images[:i], t.images[i+1:]...)
			break
		}
	}
	return nil
}

// Cleanup removes every recorded container (forcibly, with its volumes),
// then every recorded image with the untagged parents only it used, then
// the intermediate images of failed classic builds. What is already gone
// is fine. It runs on its own context bounded by CleanupTimeout, and
// empties the tracker; the error joins every removal that failed.
func (t *Tracker) Cleanup() error {
	t.mu.Lock()
	containers, images, orphans := t.containers, t.images, t.orphans
	t.containers, t.images, t.orphans = nil, nil, nil
	t.mu.Unlock()
	if t.cli == nil {
		return nil
	}

	ctx, cancel := context.WithTimeout(context.Background(), CleanupTimeout)
	defer cancel()
	var errs []error
	for _, id := range containers {
		err := t.cli.ContainerRemove(ctx, id, container.RemoveOptions{Force: true, RemoveVolumes: true})
		if errdefs.IsConflict(err) {
			// The Engine removes it already: a cancelled classic build
			// removes its step's container. Wait for that, so that the
			// images the container holds can go too.
			err = waitRemoved(ctx, t.cli, id)
		}
		if err != nil && !errdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("removing container %s: %w", id, err))
		}
	}
	for i := len(images) - 1; i >= 0; i-- {
		_, err := t.cli.ImageRemove(ctx, images[i], image.RemoveOptions{Force: true, PruneChildren: true})
		if err != nil && !errdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("removing image %s: %w", images[i], err))
		}
	}
	for i := len(orphans) - 1; i >= 0; i-- {
		_, err := t.cli.ImageRemove(ctx, orphans[i], image.RemoveOptions{PruneChildren: true})
		// A conflict means an image strata did not create builds on it.
		if err != nil && !errdefs.IsNotFound(err) && !errdefs.IsConflict(err) {
			errs = append(errs, fmt.Errorf("removing intermediate image %s: %w", orphans[i], err))
		}
	}
	return errors.Join(errs...)
}

// removalPoll is how often waitRemoved asks whether a container is gone.
const removalPoll = 100 * time.Millisecond

// waitRemoved waits until the container id no longer exists.
func waitRemoved(ctx context.Context, cli *client.Client, id string) error {
	t := time.NewTicker(removalPoll)
	defer t.Stop()
	for {
		_, err := cli.ContainerInspect(ctx, id)
		switch {
		case errdefs.IsNotFound(err):
			return nil
		case err != nil:
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for the Engine to remove it: %w", ctx.Err())
		case <-t.C:
		}
	}
}
