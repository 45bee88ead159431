package engine

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/registry"
	"github.com/docker/docker/client"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"

	"github.com/stratatools/strata/internal/build"
	strimage "github.com/stratatools/strata/internal/image"
	regsource "github.com/stratatools/strata/internal/image/source/registry"
	"github.com/stratatools/strata/internal/measure"
)

// This file holds what changes when a BuildKit daemon builds instead of
// the Engine (Options.Daemon): where the build runs and, when the daemon
// pushes to a registry, where the image is read from and how it is run.

// build runs one build with the measurement's builder. The result's Tag
// says where the image is.
func (o *Options) build(ctx context.Context, cli *client.Client, spec build.Spec) (*build.Result, error) {
	if o.Daemon != nil {
		return o.Daemon.Build(ctx, spec)
	}
	return build.Build(ctx, cli, spec)
}

// buildKit reports whether the builds run on BuildKit (the Engine's, or a
// BuildKit daemon), whose cache rules strata's predictions follow.
func (o *Options) buildKit() bool {
	return o.Builder == build.BuilderBuildKit || o.Builder == build.BuilderDaemon
}

// pushed reports whether the images are in a registry rather than the
// Engine.
func (o *Options) pushed() bool { return o.Daemon != nil && o.Daemon.Pushes() }

// release drops an image the measurement no longer needs.
func (o *Options) release(ref string) error {
	if o.pushed() {
		return o.Daemon.Release(ref)
	}
	return o.Tracker.Release(ref)
}

// describeBuilder records the builder in m.
func (o *Options) describeBuilder(m *measure.Measurement) {
	m.Notes = append(m.Notes, o.SessionNotes...)
	if o.Daemon == nil {
		return
	}
	m.BuilderAddress = o.Daemon.Address()
	where := "the images were loaded into the Docker Engine (build times include the export and the load)"
	if o.pushed() {
		where = "the images were pushed to " + o.Daemon.Registry() + " and measured from there (build times include the push)"
	}
	m.Notes = append(m.Notes, fmt.Sprintf("built on the BuildKit daemon at %s (BuildKit %s); %s", o.Daemon.Address(), o.Daemon.Version(), where))
}

// startup measures one start-up of the image at ref (see measureStartup).
// An image in a registry is pulled into the Engine first, and removed
// after; with no Engine, nothing is measured and -1 is returned.
func (o *Options) startup(ctx context.Context, cli *client.Client, ref string, m *measure.Measurement) (time.Duration, error) {
	if !o.pushed() {
		return measureStartup(ctx, cli, ref, m, *o)
	}
	if cli == nil {
		return -1, nil
	}
	o.Tracker.Image(ref)
	defer func() { _ = o.Tracker.Release(ref) }()
	if err := pull(ctx, cli, ref); err != nil {
		return 0, err
	}
	return measureStartup(ctx, cli, ref, m, *o)
}

// pull pulls ref into the Engine with the credentials of the Docker
// configuration.
func pull(ctx context.Context, cli *client.Client, ref string) error {
	auth, err := registryAuth(ref)
	if err != nil {
		return err
	}
	rc, err := cli.ImagePull(ctx, ref, image.PullOptions{RegistryAuth: auth})
	if err != nil {
		return fmt.Errorf("pulling %s into the Docker Engine to run it: %w", ref, err)
	}
	defer rc.Close()
	dec := json.NewDecoder(rc)
	for {
		var msg struct {
			Error       string `json:"error"`
			ErrorDetail *struct {
				Message string `json:"message"`
			} `json:"errorDetail"`
		}
		err := dec.Decode(&msg)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("pulling %s into the Docker Engine: %w", ref, err)
		}
		if msg.ErrorDetail != nil && msg.ErrorDetail.Message != "" {
			return fmt.Errorf("pulling %s into the Docker Engine: %s", ref, msg.ErrorDetail.Message)
		}
		if msg.Error != "" {
			return fmt.Errorf("pulling %s into the Docker Engine: %s", ref, msg.Error)
		}
	}
}

// registryAuth encodes the credentials the Docker configuration holds
// for ref's registry as the Engine's pull wants them ("" for none).
func registryAuth(ref string) (string, error) {
	r, err := name.ParseReference(ref)
	if err != nil {
		return "", fmt.Errorf("pulling %s: %w", ref, err)
	}
	a, err := authn.DefaultKeychain.Resolve(r.Context().Registry)
	if err != nil {
		return "", fmt.Errorf("reading the credentials for %s: %w", r.Context().RegistryStr(), err)
	}
	cfg, err := a.Authorization()
	if err != nil {
		return "", fmt.Errorf("reading the credentials for %s: %w", r.Context().RegistryStr(), err)
	}
	if *cfg == (authn.AuthConfig{}) {
		return "", nil
	}
	buf, err := json.Marshal(registry.AuthConfig{
		Username: cfg.Username, Password: cfg.Password, Auth: cfg.Auth,
		IdentityToken: cfg.IdentityToken, RegistryToken: cfg.RegistryToken,
	})
	if err != nil {
		return "", err
	}
	return base64.URLEncoding.EncodeToString(buf), nil
}

// describe fills in what the image says (see describeImage); an image in
// a registry is read from there, its size counted as the Engine counts
// it (the files and links of every layer).
func (o *Options) describe(ctx context.Context, cli *client.Client, ref string, m *measure.Measurement, df *strimage.Dockerfile) error {
	if !o.pushed() {
		return describeImage(ctx, cli, ref, m, df, *o)
	}
	src, err := regsource.New(ref, regsource.Options{Insecure: o.Daemon.Insecure()})
	if err != nil {
		return err
	}
	o.progress("analysing the image", "", false)
	a, err := analyzeSource(ctx, src, ref, df, o.Shared)
	if err != nil {
		return err
	}
	if o.Analysed != nil {
		o.Analysed(o.Label, a.result)
	}
	r := a.result
	m.LayerCount = len(r.Layers)
	m.User = r.Image.User
	m.Root = measure.IsRoot(m.User)
	a.fill(m, m.Subject)
	m.Notes = append(m.Notes, sizeNotes...)
	return nil
}
