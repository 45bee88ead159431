package build

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"time"

	dockerconfig "github.com/docker/cli/cli/config"
	"github.com/docker/docker/client"
	"github.com/google/go-containerregistry/pkg/name"
	bkclient "github.com/moby/buildkit/client"
	// The helpers for docker-container:// and kube-pod:// addresses
	// register themselves with BuildKit's client.
	_ "github.com/moby/buildkit/client/connhelper/dockercontainer"
	_ "github.com/moby/buildkit/client/connhelper/kubepod"
	"github.com/moby/buildkit/session"
	"github.com/moby/buildkit/session/auth/authprovider"
	"github.com/moby/buildkit/util/entitlements"
	"github.com/tonistiigi/fsutil"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/stratatools/strata/internal/vocab"
)

// Keys of the exporter's response.
const (
	respConfigDigest = "containerimage.config.digest"
	respImageDigest  = "containerimage.digest"
)

// DaemonOptions say which BuildKit daemon builds and where its images go.
type DaemonOptions struct {
	// Address is the daemon's address: unix://PATH, tcp://HOST:PORT,
	// docker-container://NAME or kube-pod://POD (see CheckAddress).
	Address string
	TLS     TLSFiles
	// Engine, when set, receives every image built: the daemon exports it
	// as a docker image archive and the Engine loads it under the spec's
	// tag (what buildx's --load does).
	Engine *client.Client
	// Push, when set, is the registry (with an optional repository
	// prefix: "reg.example:5000/team") the images are pushed to instead;
	// a spec's tag is then a repository under it. Plain HTTP is used for
	// registries on the loopback interface, or for all with Insecure.
	Push     string
	Insecure bool
}

// Daemon is a connection to a BuildKit daemon through BuildKit's own
// client: builds run with the daemon's Dockerfile frontend, the build
// context is served over a session, and each image is loaded into the
// Docker Engine or pushed to a registry. It records the images it pushes
// so that Cleanup deletes them. A Daemon is safe for concurrent use.
type Daemon struct {
	c       *bkclient.Client
	opts    DaemonOptions
	version string

	mu     sync.Mutex
	pushed []pushedImage // in push order
}

// pushedImage is an image a build pushed: its reference and the
// repository@digest a deletion names.
type pushedImage struct {
	ref, digest string
}

// DialDaemon connects to the BuildKit daemon at opts.Address and checks
// that it answers. Exactly one of opts.Engine and opts.Push must be set.
// A bad address or TLS file is a *vocab.InputError; a daemon that does not
// answer is an error naming the address.
func DialDaemon(ctx context.Context, opts DaemonOptions) (*Daemon, error) {
	if err := CheckAddress(opts.Address, opts.TLS); err != nil {
		return nil, err
	}
	if (opts.Engine == nil) == (opts.Push == "") {
		return nil, errors.New("build: a BuildKit daemon needs either an Engine to load into or a registry to push to")
	}
	if opts.Push != "" {
		if err := checkPushTarget(opts.Push); err != nil {
			return nil, err
		}
	}
	var copts []bkclient.ClientOpt
	if t := opts.TLS; t.Set() {
		if t.CACert != "" {
			copts = append(copts, bkclient.WithServerConfig(t.ServerName, t.CACert))
		} else {
			copts = append(copts, bkclient.WithServerConfigSystem(t.ServerName))
		}
		if t.Cert != "" {
			copts = append(copts, bkclient.WithCredentials(t.Cert, t.Key))
		}
	}
	where := redactAddress(opts.Address)
	c, err := bkclient.New(ctx, opts.Address, copts...)
	if err != nil {
		return nil, fmt.Errorf("connecting to the BuildKit daemon at %s: %w", where, err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	info, err := c.Info(pingCtx)
	if err != nil {
		_ = c.Close()
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		hint := ""
		if strings.HasPrefix(opts.Address, SchemeTCP+"://") && !opts.TLS.Set() {
			hint = " (a daemon that speaks TLS needs --tls-cacert, and --tls-cert and --tls-key when it checks clients)"
		}
		return nil, fmt.Errorf("connecting to the BuildKit daemon at %s: %w%s", where, unwrapStatus(err), hint)
	}
	return &Daemon{c: c, opts: opts, version: info.BuildkitVersion.Version}, nil
}

// checkPushTarget checks a --push value: a registry host with an
// optional repository prefix.
func checkPushTarget(push string) error {
	if strings.Contains(push, "://") || strings.ContainsAny(push, "@") {
		return vocab.Inputf("--push %q: want REGISTRY[/PREFIX], e.g. registry.example:5000/team", push)
	}
	if _, err := name.NewRepository(strings.TrimSuffix(push, "/") + "/strata-check"); err != nil {
		return vocab.Inputf("--push %q: %w", push, err)
	}
	return nil
}

// Address is the daemon's address, with any password removed.
func (d *Daemon) Address() string { return redactAddress(d.opts.Address) }

// Version is the BuildKit version the daemon reports.
func (d *Daemon) Version() string { return d.version }

// Pushes reports whether images go to a registry rather than the Engine.
func (d *Daemon) Pushes() bool { return d.opts.Push != "" }

// ImageRef is where the image of a build tagged tag ends up: the tag
// itself in the Engine, or the repository under the --push registry.
func (d *Daemon) ImageRef(tag string) string {
	if d.opts.Push == "" {
		return tag
	}
	return strings.TrimSuffix(d.opts.Push, "/") + "/" + tag
}

// Registry is the --push target, "" when images go to the Engine.
func (d *Daemon) Registry() string { return d.opts.Push }

// Insecure reports whether plain HTTP (and unverified TLS) to the push
// registry was allowed.
func (d *Daemon) Insecure() bool { return d.opts.Insecure }

// Close closes the connection.
func (d *Daemon) Close() error { return d.c.Close() }

// Build runs one build on the daemon and waits until its image is in the
// Engine (loaded under spec.Tag) or the registry (at ImageRef(spec.Tag),
// Result.Tag and Result.Digest say where). spec.Builder is not used. A
// build the daemon rejects is an *Error; a missing Dockerfile or context,
// or a network mode the daemon does not know, a *vocab.InputError; a
// cancelled ctx stops the build on the daemon.
func (d *Daemon) Build(ctx context.Context, spec Spec) (*Result, error) {
	if err := spec.check(); err != nil {
		return nil, err
	}
	attrs, ents, err := frontendAttrs(spec)
	if err != nil {
		return nil, err
	}
	ctxFS, dfFS, err := localSources(spec)
	if err != nil {
		return nil, err
	}
	ref := d.ImageRef(spec.Tag)
	opt := bkclient.SolveOpt{
		Frontend:            "dockerfile.v0",
		FrontendAttrs:       attrs,
		LocalMounts:         map[string]fsutil.FS{"context": ctxFS, "dockerfile": dfFS},
		SharedKey:           sharedKey(spec.ContextDir),
		AllowedEntitlements: ents,
		Session:             []session.Attachable{authprovider.NewDockerAuthProvider(authprovider.DockerAuthProviderConfig{AuthConfigProvider: authprovider.LoadAuthConfig(dockerconfig.LoadDefaultConfigFile(io.Discard))})},
	}
	var load *engineLoad
	if d.opts.Push != "" {
		ex := bkclient.ExportEntry{Type: bkclient.ExporterImage, Attrs: map[string]string{"name": ref, "push": "true"}}
		if d.opts.Insecure || loopbackRegistry(ref) {
			ex.Attrs["registry.insecure"] = "true"
		}
		opt.Exports = []bkclient.ExportEntry{ex}
	} else {
		load = newEngineLoad(ctx, d.opts.Engine)
		opt.Exports = []bkclient.ExportEntry{{
			Type: bkclient.ExporterDocker,
			// The Engine unpacks the layers at once: compressing them
			// would only cost time.
			Attrs:  map[string]string{"name": ref, "compression": "uncompressed"},
			Output: load.output,
		}}
	}

	st := newBKStatus(spec.Progress)
	statusC := make(chan *bkclient.SolveStatus)
	statusDone := make(chan struct{})
	go func() {
		defer close(statusDone)
		for ss := range statusC {
			for _, sr := range ss.Marshal() {
				st.apply(sr)
			}
		}
	}()
	start := time.Now()
	resp, err := d.c.Solve(ctx, nil, opt, statusC)
	<-statusDone
	if load != nil {
		if lerr := load.finish(err); err == nil && lerr != nil {
			return nil, fmt.Errorf("building %s: loading the image into the Docker Engine: %w", spec.Dockerfile, lerr)
		}
	}
	if err != nil {
		return nil, d.buildError(ctx, spec, st, err)
	}
	res := newResult(resp.ExporterResponse[respConfigDigest], st.steps())
	res.Duration = time.Since(start)
	res.Builder, res.Tag = BuilderDaemon, ref
	if d.opts.Push != "" {
		res.Digest = resp.ExporterResponse[respImageDigest]
		if res.Digest != "" {
			d.recordPush(ref, res.Digest)
		}
	}
	if res.ImageID == "" && load != nil {
		insp, err := d.opts.Engine.ImageInspect(ctx, ref)
		if err != nil {
			return nil, fmt.Errorf("building %s: the image was loaded but: %w", spec.Dockerfile, err)
		}
		res.ImageID = insp.ID
	}
	return res, nil
}

// frontendAttrs are the Dockerfile frontend's options for spec, and the
// entitlements they need.
func frontendAttrs(spec Spec) (map[string]string, []string, error) {
	attrs := map[string]string{"filename": filepath.Base(spec.Dockerfile)}
	if spec.Target != "" {
		attrs["target"] = spec.Target
	}
	if spec.NoCache {
		attrs["no-cache"] = ""
	}
	if spec.Platform != "" {
		attrs["platform"] = spec.Platform
	}
	for k, v := range spec.BuildArgs {
		// A variable with no value and none in the environment is not
		// passed, as docker build does.
		if v != nil {
			attrs["build-arg:"+k] = *v
		}
	}
	var ents []string
	switch spec.Network {
	case "", "default":
		// The daemon's own setting.
	case "host":
		attrs["force-network-mode"] = "host"
		ents = append(ents, string(entitlements.EntitlementNetworkHost))
	case "none":
		attrs["force-network-mode"] = "none"
	default:
		return nil, nil, vocab.Inputf("--network %q: a BuildKit daemon knows the network modes default, host and none", spec.Network)
	}
	return attrs, ents, nil
}

// buildError makes the error of a failed Solve: the interruption, a daemon
// that went away, or the build's own failure as an *Error.
func (d *Daemon) buildError(ctx context.Context, spec Spec, st *bkStatus, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("building %s: %w", spec.Dockerfile, context.Cause(ctx))
	}
	if s, ok := status.FromError(unwrapStatus(err)); ok && s.Code() == codes.Unavailable {
		return fmt.Errorf("building %s on the BuildKit daemon at %s: %w", spec.Dockerfile, d.Address(), err)
	}
	e := st.failure(unwrapStatus(err).Error())
	e.Dockerfile, e.Builder = spec.Dockerfile, BuilderDaemon
	return e
}

// unwrapStatus returns the gRPC status error inside err, with the
// message the daemon sent and without the client's wrapping, or err.
func unwrapStatus(err error) error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if _, ok := e.(interface{ GRPCStatus() *status.Status }); ok {
			s := status.Convert(e)
			return status.Error(s.Code(), s.Message())
		}
	}
	return err
}

// loopbackRegistry reports whether ref's registry is on the loopback
// interface, where registries speak plain HTTP (as the Docker Engine
// assumes).
func loopbackRegistry(ref string) bool {
	host := ref
	if i := strings.IndexByte(host, '/'); i >= 0 {
		host = host[:i]
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// engineLoad streams a docker image archive from the daemon into the
// Engine's image load.
type engineLoad struct {
	ctx context.Context
	cli *client.Client
	pr  *io.PipeReader
	pw  *io.PipeWriter

	mu      sync.Mutex
	started bool
	done    chan error
}

func newEngineLoad(ctx context.Context, cli *client.Client) *engineLoad {
	pr, pw := io.Pipe()
	return &engineLoad{ctx: ctx, cli: cli, pr: pr, pw: pw, done: make(chan error, 1)}
}

// output is the exporter's file output: the first call starts the load.
func (l *engineLoad) output(map[string]string) (io.WriteCloser, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.started {
		l.started = true
		go func() { l.done <- l.run() }()
	}
	return l.pw, nil
}

func (l *engineLoad) run() error {
	resp, err := l.cli.ImageLoad(l.ctx, l.pr, client.ImageLoadWithQuiet(true))
	if err != nil {
		l.pr.CloseWithError(err)
		return err
	}
	defer resp.Body.Close()
	err = readLoadStream(resp.Body)
	// Let the exporter finish writing should the Engine stop reading.
	_, _ = io.Copy(io.Discard, l.pr)
	return err
}

// finish ends the stream after the build (with the build's error, if any)
// and waits for the Engine to finish loading; it returns the load's error.
func (l *engineLoad) finish(buildErr error) error {
	if buildErr != nil {
		l.pw.CloseWithError(buildErr)
	} else {
		_ = l.pw.Close()
	}
	l.mu.Lock()
	started := l.started
	l.started = true // no load starts after this
	l.mu.Unlock()
	switch {
	case started:
		return <-l.done
	case buildErr == nil:
		return errors.New("the daemon sent no image")
	}
	return nil
}

// readLoadStream reads the Engine's answer to an image load and returns
// the error it reports.
func readLoadStream(r io.Reader) error {
	dec := json.NewDecoder(r)
	for {
		var m engineMessage
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the Engine's answer: %w", err)
		}
		if m.Error != nil && m.Error.Message != "" {
			return errors.New(m.Error.Message)
		}
		if m.ErrorMessage != "" {
			return errors.New(m.ErrorMessage)
		}
	}
}

// recordPush remembers a pushed image for Release and Cleanup.
func (d *Daemon) recordPush(ref, digest string) {
	repo := ref
	if r, err := name.ParseReference(ref, d.nameOptions()...); err == nil {
		repo = r.Context().String()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pushed = append(d.pushed, pushedImage{ref: ref, digest: repo + "@" + digest})
}
