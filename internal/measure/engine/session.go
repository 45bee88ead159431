package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/docker/docker/client"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/vocab"
)

// Session is one command's connection to its builder and to the Docker
// Engine: the client, the builder it uses and the tracker of every
// container and image it makes.
type Session struct {
	// Client is the Docker Engine; nil when a BuildKit daemon pushes to a
	// registry and no Engine answers (nothing is run then).
	Client  *client.Client
	Tracker *build.Tracker
	// Builder is build.BuilderBuildKit, build.BuilderClassic or
	// build.BuilderDaemon.
	Builder string
	// Daemon is the BuildKit daemon that builds, when Builder is
	// build.BuilderDaemon.
	Daemon *build.Daemon
	// Notes say how the builder was picked and where images go.
	Notes []string
}

// Choice is how a command picks its builder.
type Choice struct {
	// Builder is build.BuilderAuto, BuilderBuildKit, BuilderClassic or
	// the address of a BuildKit daemon (see build.CheckAddress).
	Builder string
	// DockerBuildKit and BuildKitHost are the values of DOCKER_BUILDKIT
	// and BUILDKIT_HOST, "" when unset. With Builder auto, BuildKitHost
	// names the daemon to build on.
	DockerBuildKit string
	BuildKitHost   string
	// TLS configures a daemon on tcp://.
	TLS build.TLSFiles
	// Push sends a daemon's images to this registry (REGISTRY[/PREFIX])
	// instead of loading them into the Engine; Insecure allows plain
	// HTTP to it.
	Push     string
	Insecure bool
}

// daemonAddress returns the daemon the choice names, "" for the Engine.
func (c Choice) daemonAddress() string {
	switch {
	case build.IsAddress(c.Builder):
		return c.Builder
	case (c.Builder == "" || c.Builder == build.BuilderAuto) && c.BuildKitHost != "":
		return c.BuildKitHost
	}
	return ""
}

// Open connects to the Engine the environment names (see build.Connect)
// and picks the builder: pref is build.BuilderAuto, BuilderBuildKit or
// BuilderClassic; dockerBuildKit is DOCKER_BUILDKIT's value, "" when
// unset (see build.ResolveBuilder). The caller closes the session.
func Open(ctx context.Context, pref, dockerBuildKit string) (*Session, error) {
	return OpenChoice(ctx, Choice{Builder: pref, DockerBuildKit: dockerBuildKit})
}

// OpenChoice opens the session c asks for: the Engine and one of its
// builders, or a BuildKit daemon (an address, or BUILDKIT_HOST with
// auto) whose images are loaded into the Engine or, with c.Push, pushed
// to a registry; the Engine is optional then, and runs the start-up
// when it answers. Bad settings are a *vocab.InputError. The caller
// closes the session.
func OpenChoice(ctx context.Context, c Choice) (*Session, error) {
	addr := c.daemonAddress()
	if addr == "" {
		if c.Push != "" {
			return nil, vocab.Inputf("--push needs a BuildKit daemon (--builder ADDRESS or %s): the Docker Engine keeps what it builds", build.EnvBuildKitHost)
		}
		if c.TLS.Set() {
			return nil, vocab.Inputf("the TLS settings need a BuildKit daemon on tcp:// (--builder tcp://HOST:PORT)")
		}
		cli, err := build.Connect(ctx)
		if err != nil {
			return nil, err
		}
		b, err := build.ResolveBuilder(ctx, cli, c.Builder, c.DockerBuildKit)
		if err != nil {
			_ = cli.Close()
			return nil, err
		}
		return &Session{Client: cli, Tracker: build.NewTracker(cli), Builder: b}, nil
	}
	if err := build.CheckAddress(addr, c.TLS); err != nil {
		return nil, err
	}
	s := &Session{Builder: build.BuilderDaemon}
	if !build.IsAddress(c.Builder) {
		s.Notes = append(s.Notes, fmt.Sprintf("builder: the BuildKit daemon %s names (%s)", build.EnvBuildKitHost, addr))
	}
	cli, err := build.Connect(ctx)
	switch {
	case err == nil:
		s.Client = cli
	case c.Push == "":
		return nil, fmt.Errorf("the images a BuildKit daemon builds are loaded into the Docker Engine, or pushed with --push REGISTRY: %w", err)
	case ctx.Err() != nil:
		return nil, context.Cause(ctx)
	default:
		s.Notes = append(s.Notes, fmt.Sprintf("start-up not measured: no Docker Engine to run the image (%v)", err))
	}
	s.Tracker = build.NewTracker(s.Client)
	opts := build.DaemonOptions{Address: addr, TLS: c.TLS, Push: c.Push, Insecure: c.Insecure}
	if c.Push == "" {
		opts.Engine = s.Client
	}
	d, err := build.DialDaemon(ctx, opts)
	if err != nil {
		if s.Client != nil {
			_ = s.Client.Close()
		}
		return nil, err
	}
	s.Daemon = d
	return s, nil
}

// Options returns opts set to build with the session's builder and to
// record what it makes in the session's tracker.
func (s *Session) Options(opts Options) Options {
	opts.Builder, opts.Tracker, opts.Daemon = s.Builder, s.Tracker, s.Daemon
	opts.SessionNotes = s.Notes
	return opts
}

// Close removes every container and image the session made (in the
// Engine and, for a daemon that pushed, in the registry), also after a
// failure or an interruption, and closes the connections. The error says
// what could not be removed.
func (s *Session) Close() error {
	var errs []error
	if err := s.Tracker.Cleanup(); err != nil {
		errs = append(errs, err)
	}
	if s.Daemon != nil {
		if err := s.Daemon.Cleanup(); err != nil {
			errs = append(errs, err)
		}
		_ = s.Daemon.Close()
	}
	if s.Client != nil {
		_ = s.Client.Close()
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("cleaning up: %w", err)
	}
	return nil
}
