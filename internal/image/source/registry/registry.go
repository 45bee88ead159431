// Package registry reads an image from a registry with go-containerregistry:
// the manifest (for the platform, from an index), the configuration, then
// the layer blobs, streamed in parallel. Credentials come from the Docker
// configuration and its credential helpers; they never appear in messages
// (every error is passed through internal/redact) and are never sent over
// plain HTTP unless Options.Insecure. Connecting, and every wait for the
// registry's next bytes, are bounded by Options.Timeout.
package registry

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/source/internal/manifest"
	"github.com/stratatools/strata/internal/redact"
	"github.com/stratatools/strata/internal/vocab"
)

// Options tune how a registry is reached.
type Options struct {
	// Platform picks an image from a multi-platform index; nil means the
	// host's platform.
	Platform *v1.Platform
	// Insecure allows plain HTTP, and TLS without verification.
	Insecure bool
	// Timeout bounds connecting to the registry and every wait for its
	// answer (the response to a request, the next bytes of a body);
	// 0 means DefaultTimeout.
	Timeout time.Duration
	// Keychain finds credentials; nil means the Docker configuration
	// (authn.DefaultKeychain).
	Keychain authn.Keychain
	// Remote are added to every request's options: a shared
	// remote.Puller (remote.Reuse) lets many images of one registry share
	// its connections, pings and token exchanges (strata audit).
	Remote []remote.Option
	// Manifest, when set, is the manifest the reference names by digest,
	// already fetched (strata audit resolves a tag it has not seen with
	// a GET): it is used instead of fetching it again when its bytes
	// have that digest.
	Manifest *remote.Descriptor
}

// DefaultTimeout is Options.Timeout's default: long enough for a slow
// registry on a slow link, short enough that a registry that never
// answers is reported while the user is still there.
const DefaultTimeout = 30 * time.Second

type source struct {
	raw  string
	ref  name.Reference
	opts Options
	auth authn.Authenticator
	// secrets are the credentials' values, masked in every message.
	secrets []string
}

// New returns the source for ref, a registry reference such as
// "ghcr.io/org/app:1" or "reg.local:5000/app@sha256:...". A reference
// that does not parse is bad input.
func New(ref string, opts Options) (image.Source, error) {
	var nopts []name.Option
	if opts.Insecure {
		nopts = append(nopts, name.Insecure)
	}
	r, err := name.ParseReference(ref, nopts...)
	if err != nil {
		return nil, vocab.Inputf("invalid registry reference %q: %w", ref, err)
	}
	if opts.Platform == nil {
		opts.Platform = manifest.HostPlatform()
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Keychain == nil {
		opts.Keychain = authn.DefaultKeychain
	}
	return &source{raw: ref, ref: r, opts: opts}, nil
}

func (s *source) String() string { return "docker://" + s.raw }

// registryName names the registry in messages.
func (s *source) registryName() string { return s.ref.Context().RegistryStr() }

// credentials resolves the registry's credentials once and records their
// values for redaction.
func (s *source) credentials() error {
	if s.auth != nil {
		return nil
	}
	auth, err := s.opts.Keychain.Resolve(s.ref.Context())
	if err != nil {
		return fmt.Errorf("credentials for %s: %w", s.registryName(), redact.Error(err))
	}
	s.auth = auth
	if cfg, err := authn.Authorization(context.Background(), auth); err == nil && cfg != nil {
		s.secrets = append(s.secrets, cfg.Password, cfg.Auth, cfg.IdentityToken, cfg.RegistryToken)
		if cfg.Username != "" && cfg.Password != "" {
			s.secrets = append(s.secrets, base64.StdEncoding.EncodeToString([]byte(cfg.Username+":"+cfg.Password)))
		}
	}
	return nil
}

func (s *source) options(ctx context.Context) ([]remote.Option, error) {
	if err := s.credentials(); err != nil {
		return nil, err
	}
	return append([]remote.Option{
		remote.WithContext(ctx),
		remote.WithAuth(s.auth),
		remote.WithPlatform(*s.opts.Platform),
		remote.WithUserAgent("strata"),
		remote.WithTransport(s.transport()),
		remote.WithRetryPredicate(retryable),
	}, s.opts.Remote...), nil
}

// RemoteOptions are what every request to registry is made with, as a
// source makes them: the transport (timeouts, TLS verification unless
// opts.Insecure, no credentials over plain HTTP unless opts.Insecure),
// the keychain, strata's user agent and retry predicate. A caller that
// reads many images of one registry (strata audit) makes one
// remote.Puller with them and hands it to each source in Options.Remote
// (remote.Reuse), which then takes the puller's settings.
func RemoteOptions(registry string, opts Options) []remote.Option {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Keychain == nil {
		opts.Keychain = authn.DefaultKeychain
	}
	return []remote.Option{
		remote.WithAuthFromKeychain(opts.Keychain),
		remote.WithUserAgent("strata"),
		remote.WithTransport(newTransport(opts.Timeout, opts.Insecure, registry)),
		remote.WithRetryPredicate(retryable),
	}
}

// retryable is go-containerregistry's default retry predicate, less
// timeouts: a registry that did not answer within the timeout is
// reported, not waited for three more times.
func retryable(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, errPlainHTTP) {
		return false
	}
	var tmp interface{ Temporary() bool }
	return errors.As(err, &tmp) && tmp.Temporary() || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, net.ErrClosed)
}

// transport is the HTTP transport every request goes through: timeouts
// on connecting and on every read, TLS verification unless Insecure, and
// no credentials over plain HTTP unless Insecure.
func (s *source) transport() http.RoundTripper {
	return newTransport(s.opts.Timeout, s.opts.Insecure, s.registryName())
}

func newTransport(timeout time.Duration, insecure bool, registry string) http.RoundTripper {
	tr := remote.DefaultTransport.(*http.Transport).Clone()
	dialer := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &idleConn{Conn: c, timeout: timeout}, nil
	}
	tr.TLSHandshakeTimeout = timeout
	tr.ResponseHeaderTimeout = timeout
	if insecure {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // --insecure asked for it
	}
	return &guard{base: tr, insecure: insecure, registry: registry}
}

// idleConn fails a read or write that waits longer than timeout for the
// other end, so that a registry that stops answering, before its headers
// or in the middle of a body, is given up on.
type idleConn struct {
	net.Conn
	timeout time.Duration
}

func (c *idleConn) Read(p []byte) (int, error) {
	if err := c.SetReadDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

func (c *idleConn) Write(p []byte) (int, error) {
	if err := c.SetWriteDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

// guard refuses to send credentials over plain HTTP unless insecure.
// go-containerregistry falls back to plain HTTP for registries on
// loopback and private addresses; anonymous access to them still works.
type guard struct {
	base     http.RoundTripper
	insecure bool
	registry string
}

// errPlainHTTP is a request with credentials to a plain HTTP address.
var errPlainHTTP = errors.New("not sending credentials over plain HTTP")

func (g *guard) RoundTrip(req *http.Request) (*http.Response, error) {
	if !g.insecure && req.URL.Scheme == "http" && (req.Header.Get("Authorization") != "" || req.URL.User != nil) {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("%w to %s: the registry %s answers over plain HTTP only, and strata sends credentials over it only with --insecure", errPlainHTTP, req.URL.Host, g.registry)
	}
	return g.base.RoundTrip(req)
}

// classify words an error from the registry: what it refused (no such
// image, no access) and credentials it would get over plain HTTP are bad
// input; a registry that does not answer in time is named with the
// timeout; every message is redacted.
func (s *source) classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	var te *transport.Error
	var ne net.Error
	switch {
	case errors.Is(err, errPlainHTTP):
		err = &vocab.InputError{Err: err}
	case errors.As(err, &te) && te.StatusCode >= 400 && te.StatusCode < 500:
		err = &vocab.InputError{Err: err}
	case errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded):
		err = fmt.Errorf("the registry %s did not answer within %s (--timeout): %w", s.registryName(), s.opts.Timeout, err)
	case isVerifyError(err):
		err = &vocab.InputError{Err: fmt.Errorf("the blob does not match its digest: %w", err)}
	}
	return redact.Error(err, s.secrets...)
}

// isVerifyError reports whether go-containerregistry found that a blob's
// bytes do not match its digest or size (its error type is internal).
func isVerifyError(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "error verifying sha256 checksum") || strings.Contains(msg, "error verifying size")
}

// classifyingReader classifies the errors of a blob's body.
type classifyingReader struct {
	io.ReadCloser
	s *source
}

func (r classifyingReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = r.s.classify(err)
	}
	return n, err
}

// store serves configuration blobs from the registry.
type store struct {
	s    *source
	repo name.Repository
	opts []remote.Option
}

func (r store) Has(string) bool { return true }

func (r store) ReadMeta(p string) ([]byte, error) {
	d, err := digestFromBlobPath(p)
	if err != nil {
		return nil, err
	}
	l, err := remote.Layer(r.repo.Digest(d), r.opts...)
	if err != nil {
		return nil, r.s.classify(err)
	}
	rc, err := l.Compressed()
	if err != nil {
		return nil, r.s.classify(err)
	}
	defer rc.Close()
	b, err := manifest.ReadLimited(rc, manifest.MaxMetaSize, p)
	return b, r.s.classify(err)
}

// Blob names the layer by its blob path; the size comes from the manifest.
func (r store) Blob(p string) (string, int64, error) { return p, -1, nil }

func digestFromBlobPath(p string) (string, error) {
	parts := strings.Split(p, "/")
	if len(parts) != 3 || parts[0] != "blobs" {
		return "", fmt.Errorf("invalid blob path %q", p)
	}
	return parts[1] + ":" + parts[2], nil
}

func (s *source) Meta(ctx context.Context) (*image.Meta, error) {
	m, err := s.meta(ctx)
	return m, redact.Error(err, s.secrets...)
}

func (s *source) meta(ctx context.Context) (*image.Meta, error) {
	opts, err := s.options(ctx)
	if err != nil {
		return nil, err
	}
	m := &image.Meta{Transport: image.TransportRegistry, Ref: s.raw}
	desc := s.fetched()
	if desc == nil {
		if desc, err = remote.Get(s.ref, opts...); err != nil {
			return nil, s.classify(fmt.Errorf("fetching %s: %w", s.ref, err))
		}
	}
	raw := desc.Manifest
	digest := desc.Digest
	for depth := 0; desc.MediaType.IsIndex(); depth++ {
		if depth > manifest.MaxIndexDepth {
			return nil, vocab.Inputf("%s: indexes nested more than %d deep", s.ref, manifest.MaxIndexDepth)
		}
		idx, err := v1.ParseIndexManifest(bytes.NewReader(raw))
		if err != nil {
			return nil, vocab.Inputf("%s: parsing index %s: %w", s.ref, digest, err)
		}
		chosen, err := manifest.Choose(idx.Manifests, s.ref.String(), "", false, s.opts.Platform, m)
		if err != nil {
			return nil, vocab.Inputf("%w", err)
		}
		desc, err = remote.Get(s.ref.Context().Digest(chosen.Digest.String()), opts...)
		if err != nil {
			return nil, s.classify(fmt.Errorf("fetching %s@%s: %w", s.ref.Context(), chosen.Digest, err))
		}
		raw, digest = desc.Manifest, desc.Digest
	}
	if !desc.MediaType.IsImage() {
		return nil, vocab.Inputf("%s is a %s, not an image", s.ref, desc.MediaType)
	}
	man, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, vocab.Inputf("%s: parsing manifest %s: %w", s.ref, digest, err)
	}
	m.Digest = digest.String()
	m.MediaType = string(desc.MediaType)
	if t, ok := s.ref.(name.Tag); ok {
		m.Tags = []string{t.String()}
	}
	m, err = manifest.FromManifest(store{s: s, repo: s.ref.Context(), opts: opts}, man, m)
	if err != nil {
		var te *transport.Error
		if !errors.As(err, &te) && !vocab.IsInput(err) && !isRegistryFailure(err) {
			// What the registry served makes no sense.
			err = &vocab.InputError{Err: err}
		}
		return nil, fmt.Errorf("%s: %w", s.ref, err)
	}
	return m, nil
}

// fetched returns Options.Manifest when the reference names it by
// digest and its bytes have that digest, nil otherwise.
func (s *source) fetched() *remote.Descriptor {
	d := s.opts.Manifest
	dg, ok := s.ref.(name.Digest)
	if d == nil || !ok || d.Digest.String() != dg.DigestStr() {
		return nil
	}
	if sum, _, err := v1.SHA256(bytes.NewReader(d.Manifest)); err != nil || sum != d.Digest {
		return nil
	}
	return d
}

// isRegistryFailure reports whether err is the registry's or the
// connection's doing (already worded by classify), not the content's.
func isRegistryFailure(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, errPlainHTTP) || errors.Is(err, context.DeadlineExceeded)
}

func (s *source) Walk(ctx context.Context, h image.Handler) error {
	m, err := s.Meta(ctx)
	if err != nil {
		return err
	}
	if err := h.Meta(m); err != nil {
		return err
	}
	opts, err := s.options(ctx)
	if err != nil {
		return err
	}
	repo := s.ref.Context()
	err = manifest.WalkBlobs(ctx, s.String(), h, m, func(key string) (io.ReadCloser, error) {
		d, err := digestFromBlobPath(key)
		if err != nil {
			return nil, err
		}
		l, err := remote.Layer(repo.Digest(d), opts...)
		if err != nil {
			return nil, s.classify(err)
		}
		rc, err := l.Compressed()
		if err != nil {
			return nil, s.classify(err)
		}
		return classifyingReader{ReadCloser: rc, s: s}, nil
	})
	return redact.Error(err, s.secrets...)
}
