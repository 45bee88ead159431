package engine

import (
	"context"
	"fmt"

	"github.com/docker/docker/client"

	"github.com/stratatools/strata/internal/build"
)

// Session is one command's connection to the Docker Engine: the client,
// the builder it uses and the tracker of every container and image it
// makes.
type Session struct {
	Client  *client.Client
	Tracker *build.Tracker
	// Builder is build.BuilderBuildKit or build.BuilderClassic.
	Builder string
}

// Open connects to the Engine the environment names (see build.Connect)
// and picks the builder: pref is build.BuilderAuto, BuilderBuildKit or
// BuilderClassic; dockerBuildKit is DOCKER_BUILDKIT's value, "" when
// unset (see build.ResolveBuilder). The caller closes the session.
func Open(ctx context.Context, pref, dockerBuildKit string) (*Session, error) {
	cli, err := build.Connect(ctx)
	if err != nil {
		return nil, err
	}
	b, err := build.ResolveBuilder(ctx, cli, pref, dockerBuildKit)
	if err != nil {
		_ = cli.Close()
		return nil, err
	}
	return &Session{Client: cli, Tracker: build.NewTracker(cli), Builder: b}, nil
}

// Options returns opts set to build with the session's builder and to
// record what it makes in the session's tracker.
func (s *Session) Options(opts Options) Options {
	opts.Builder, opts.Tracker = s.Builder, s.Tracker
	return opts
}

// Close removes every container and image the session made, also after
// a failure or an interruption, and closes the connection. The error
// says what could not be removed.
func (s *Session) Close() error {
	err := s.Tracker.Cleanup()
	_ = s.Client.Close()
	if err != nil {
		return fmt.Errorf("cleaning up: %w", err)
	}
	return nil
}
