// Package daemon reads an image from the Docker Engine: one image save
// stream, read as it arrives (no temporary file), with what the Engine's
// inspection adds (ID, tags). Its metadata alone (for --base) comes from
// the inspection and the history, without saving the image.
package daemon

import (
	"context"
	"fmt"
	"io"

	dockerimage "github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/source/stream"
	"github.com/stratatools/strata/internal/vocab"
)

// EngineClient is the part of the Docker Engine API the source uses.
// *client.Client implements it.
type EngineClient interface {
	ImageInspect(ctx context.Context, ref string, opts ...client.ImageInspectOption) (dockerimage.InspectResponse, error)
	ImageSave(ctx context.Context, refs []string, opts ...client.ImageSaveOption) (io.ReadCloser, error)
	Close() error
}

// Connector opens a connection to the Docker Engine. The source closes
// the clients it is given.
type Connector func(ctx context.Context) (EngineClient, error)

// ConnectFromEnv connects to the Docker Engine named by DOCKER_HOST (and
// DOCKER_TLS_VERIFY, DOCKER_CERT_PATH), negotiating the API version. The
// command line passes the shared build.Connect instead; this default keeps
// the package usable on its own.
func ConnectFromEnv(ctx context.Context) (EngineClient, error) {
	return client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
}

// Options tune how the Engine is reached.
type Options struct {
	// Engine connects to the Docker Engine; nil uses ConnectFromEnv.
	Engine Connector
	// Platform picks an image from a multi-platform index in the save
	// stream; nil means the host's platform.
	Platform *v1.Platform
}

type source struct {
	ref  string
	opts Options
}

// New returns the source for ref, an image name, ID or digest the Engine
// knows.
func New(ref string, opts Options) image.Source {
	if opts.Engine == nil {
		opts.Engine = ConnectFromEnv
	}
	return &source{ref: ref, opts: opts}
}

func (s *source) String() string { return image.TransportDaemon + ":" + s.ref }

// inspect connects and checks the image exists, for a clear error.
func (s *source) inspect(ctx context.Context) (EngineClient, dockerimage.InspectResponse, error) {
	cli, err := s.opts.Engine(ctx)
	if err != nil {
		return nil, dockerimage.InspectResponse{}, fmt.Errorf("cannot reach the Docker Engine for %s (is it running? DOCKER_HOST selects another): %w", s.ref, err)
	}
	info, err := cli.ImageInspect(ctx, s.ref)
	if err != nil {
		cli.Close()
		if errdefs.IsNotFound(err) {
			return nil, info, vocab.Inputf("image %q not found in the local Docker Engine (for a registry use docker://%s)", s.ref, s.ref)
		}
		if client.IsErrConnectionFailed(err) {
			return nil, info, fmt.Errorf("cannot reach the Docker Engine (is it running? DOCKER_HOST selects another): %w", err)
		}
		return nil, info, fmt.Errorf("inspecting %s in the Docker Engine: %w", s.ref, err)
	}
	return cli, info, nil
}

// Meta asks the Engine for the image's layers and history without saving
// the image.
func (s *source) Meta(ctx context.Context) (*image.Meta, error) {
	cli, info, err := s.inspect(ctx)
	if err != nil {
		return nil, err
	}
	defer cli.Close()
	cfg := &v1.ConfigFile{OS: info.Os, Architecture: info.Architecture, Variant: info.Variant}
	for _, d := range info.RootFS.Layers {
		h, err := v1.NewHash(d)
		if err != nil {
			return nil, fmt.Errorf("%s: layer %q: %w", s.ref, d, err)
		}
		cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, h)
	}
	if info.Config != nil {
		cfg.Config.User = info.Config.User
		cfg.Config.Env = info.Config.Env
	}
	if hc, ok := cli.(interface {
		ImageHistory(ctx context.Context, ref string, opts ...client.ImageHistoryOption) ([]dockerimage.HistoryResponseItem, error)
	}); ok {
		if items, err := hc.ImageHistory(ctx, s.ref); err == nil {
			// The Engine lists the newest step first.
			for i := len(items) - 1; i >= 0; i-- {
				cfg.History = append(cfg.History, v1.History{CreatedBy: items[i].CreatedBy, Comment: items[i].Comment, EmptyLayer: items[i].Size == 0})
			}
		}
	}
	m := &image.Meta{Transport: image.TransportDaemon, Ref: s.ref, ConfigDigest: info.ID, Config: cfg, Tags: info.RepoTags}
	return m, nil
}

func (s *source) Walk(ctx context.Context, h image.Handler) error {
	cli, info, err := s.inspect(ctx)
	if err != nil {
		return err
	}
	defer cli.Close()
	rc, err := cli.ImageSave(ctx, []string{s.ref})
	if err != nil {
		return fmt.Errorf("saving %s from the Docker Engine: %w", s.ref, err)
	}
	defer rc.Close()
	fwd := &forwardMeta{Handler: h, info: info, ref: s.ref}
	return stream.New(rc, s.ref, stream.Options{Platform: s.opts.Platform}).Walk(ctx, fwd)
}

// forwardMeta fills in what the Engine knows and the archive does not.
type forwardMeta struct {
	image.Handler
	info dockerimage.InspectResponse
	ref  string
}

func (f *forwardMeta) Meta(m *image.Meta) error {
	m.Transport = image.TransportDaemon
	m.Ref = f.ref
	if m.ConfigDigest == "" {
		m.ConfigDigest = f.info.ID
	}
	if len(m.Tags) == 0 {
		m.Tags = f.info.RepoTags
	}
	return f.Handler.Meta(m)
}
