// Package fetch is the network and disk plumbing strata estimate's size
// sources share: bounded HTTP GETs with a timeout and a context (never a
// hang), errors that name the host without credentials, and a cache of
// small files in the user cache folder, written atomically.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stratatools/strata/internal/atomicfile"
)

// DefaultTimeout bounds one request when Client.Timeout is zero.
const DefaultTimeout = 20 * time.Second

// ErrOffline is returned for every request of an offline client.
var ErrOffline = errors.New("offline (--offline): the network is not used")

// Client makes the GET requests of the size sources.
type Client struct {
	// HTTP is the client used; nil makes a NewHTTPClient per request.
	HTTP *http.Client
	// Timeout bounds each request, headers and body (default
	// DefaultTimeout).
	Timeout time.Duration
	// Offline makes every request fail with ErrOffline.
	Offline bool
}

// StatusError is an HTTP answer other than 200 (or 206).
type StatusError struct {
	URL    string
	Status int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s answered %d %s", Redact(e.URL), e.Status, http.StatusText(e.Status))
}

// NotFound reports whether err is a 404 or 410 answer.
func NotFound(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && (se.Status == http.StatusNotFound || se.Status == http.StatusGone)
}

// NewHTTPClient returns an HTTP client with bounded dial, TLS and header
// waits, for a Client's HTTP (share one between requests: it keeps their
// connections).
func NewHTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 15 * time.Second,
		IdleConnTimeout:       30 * time.Second,
		MaxIdleConnsPerHost:   8,
	}}
}

// WithTimeout returns a copy of c whose requests may take d (for large
// downloads).
func (c *Client) WithTimeout(d time.Duration) *Client {
	cp := Client{}
	if c != nil {
		cp = *c
	}
	cp.Timeout = d
	return &cp
}

func (c *Client) http() *http.Client {
	if c != nil && c.HTTP != nil {
		return c.HTTP
	}
	return NewHTTPClient()
}

func (c *Client) timeout() time.Duration {
	if c != nil && c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// Get fetches url and returns its body, at most max bytes (a longer body
// is an error). headers are added to the request.
func (c *Client) Get(ctx context.Context, rawURL string, max int64, headers ...string) ([]byte, error) {
	var out []byte
	err := c.Stream(ctx, rawURL, func(r io.Reader, _ int64) error {
		b, err := io.ReadAll(io.LimitReader(r, max+1))
		if err != nil {
			return err
		}
		if int64(len(b)) > max {
			return fmt.Errorf("more than %d bytes", max)
		}
		out = b
		return nil
	}, headers...)
	return out, err
}

// Stream fetches url and hands its body to fn with the announced length
// (-1 when unknown). The request, body included, is bounded by the
// client's timeout and ctx.
func (c *Client) Stream(ctx context.Context, rawURL string, fn func(r io.Reader, size int64) error, headers ...string) error {
	if c != nil && c.Offline {
		return ErrOffline
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return fmt.Errorf("GET %s: %w", Redact(rawURL), err)
	}
	req.Header.Set("User-Agent", "strata-estimate")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.http().Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", Redact(rawURL), cleanErr(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusPartialContent {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return &StatusError{URL: rawURL, Status: resp.StatusCode}
	}
	if err := fn(resp.Body, resp.ContentLength); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("GET %s: %w", Redact(rawURL), ctx.Err())
		}
		return fmt.Errorf("GET %s: %w", Redact(rawURL), cleanErr(err))
	}
	return nil
}

// Size asks for the length of url's content with a HEAD request; -1
// when the server does not say.
func (c *Client) Size(ctx context.Context, rawURL string) (int64, error) {
	if c != nil && c.Offline {
		return -1, ErrOffline
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, rawURL, nil)
	if err != nil {
		return -1, fmt.Errorf("HEAD %s: %w", Redact(rawURL), err)
	}
	req.Header.Set("User-Agent", "strata-estimate")
	resp, err := c.http().Do(req)
	if err != nil {
		return -1, fmt.Errorf("HEAD %s: %w", Redact(rawURL), cleanErr(err))
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return -1, &StatusError{URL: rawURL, Status: resp.StatusCode}
	}
	return resp.ContentLength, nil
}

// cleanErr drops the *url.Error wrapper, whose text repeats the URL with
// any credentials in it.
func cleanErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Redact returns u without the user information (user:password@) and
// without the query string, which may hold tokens.
func Redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		if i := strings.LastIndex(u, "@"); i >= 0 {
			if j := strings.Index(u, "://"); j >= 0 && j < i {
				return u[:j+3] + "xxxxx@" + u[i+1:]
			}
		}
		return u
	}
	if p.User != nil {
		p.User = url.User("xxxxx")
	}
	if p.RawQuery != "" {
		p.RawQuery = "…"
	}
	return p.String()
}

// Host names the host of a URL for messages ("deb.debian.org").
func Host(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return Redact(u)
	}
	return p.Hostname()
}

// Cache is a folder of cached files.
type Cache struct {
	// Dir is the folder; "" disables the cache.
	Dir string
}

// DefaultCacheDir is the folder the estimate's caches live in:
// os.UserCacheDir()/strata/estimate.
func DefaultCacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the user cache folder: %w", err)
	}
	return filepath.Join(d, "strata", "estimate"), nil
}

// Sub returns the cache in the sub-folder name.
func (c Cache) Sub(name string) Cache {
	if c.Dir == "" {
		return c
	}
	return Cache{Dir: filepath.Join(c.Dir, name)}
}

func (c Cache) path(key string) (string, error) {
	if key == "" || strings.ContainsAny(key, `/\`) || key == "." || key == ".." {
		return "", fmt.Errorf("bad cache key %q", key)
	}
	return filepath.Join(c.Dir, key), nil
}

// Read returns a cached file and when it was written; os.ErrNotExist
// when it is not cached (or the cache is disabled).
func (c Cache) Read(key string, max int64) ([]byte, time.Time, error) {
	if c.Dir == "" {
		return nil, time.Time{}, os.ErrNotExist
	}
	p, err := c.path(key)
	if err != nil {
		return nil, time.Time{}, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, time.Time{}, err
	}
	if fi.Size() > max {
		return nil, time.Time{}, fmt.Errorf("cache file %s is larger than %d bytes", p, max)
	}
	b, err := io.ReadAll(io.LimitReader(f, max))
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("reading cache file %s: %w", p, err)
	}
	return b, fi.ModTime(), nil
}

// Write stores data under key atomically (a temporary file renamed into
// place). A disabled cache stores nothing.
func (c Cache) Write(key string, data []byte) error {
	if c.Dir == "" {
		return nil
	}
	p, err := c.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("making the cache folder: %w", err)
	}
	if err := atomicfile.Write(p, data, 0o600, false); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	return nil
}
