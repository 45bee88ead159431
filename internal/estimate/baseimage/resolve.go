package baseimage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/stratatools/strata/internal/estimate/fetch"
	"github.com/stratatools/strata/internal/image/source/daemon"
	"github.com/stratatools/strata/internal/image/source/registry"
)

// Default bounds on the Engine and registry work.
const (
	DefaultMaxAge      = 24 * time.Hour
	DefaultTimeout     = 20 * time.Second
	DefaultReadTimeout = 5 * time.Minute
	inspectTimeout     = 10 * time.Second
	maxFactsFile       = 64 << 20
)

// Resolver finds the facts of base images.
type Resolver struct {
	// Engine connects to the local Docker Engine; nil leaves it out.
	Engine daemon.Connector
	// Registry allows asking the registry (false when offline).
	Registry bool
	// Insecure allows plain HTTP to a registry.
	Insecure bool
	// Platform picks an image from a multi-platform index (nil: the
	// host's).
	Platform *v1.Platform
	// Cache keeps the facts by image ID or digest, and which digest a
	// reference had.
	Cache fetch.Cache
	// MaxAge is how long a reference's digest is trusted without asking
	// the registry (default DefaultMaxAge).
	MaxAge time.Duration
	// Timeout bounds the registry's manifest; ReadTimeout the reading of
	// an image's layers.
	Timeout, ReadTimeout time.Duration
	Now                  func() time.Time
}

// Need says what the estimate needs of a base.
type Need struct {
	// Files: the package database and settings (a stage installs
	// packages on it), which takes reading the layers.
	Files bool
}

func (r *Resolver) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Facts returns what can be known of the image ref: from the Engine when
// it has the image, else from the cache or the registry. It fails only
// when ctx ends or the reference is malformed; an image nothing knows
// gives facts From FromNone with notes saying why.
func (r *Resolver) Facts(ctx context.Context, ref string, need Need) (*Facts, error) {
	var notes []string
	if r.Engine != nil {
		f, err := r.fromEngine(ctx, ref, need)
		if err == nil {
			return f, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		notes = append(notes, err.Error())
	}
	refKey := "ref-" + hashKey(ref, r.platformString()) + ".json"
	var pin *refPin
	if b, _, err := r.Cache.Read(refKey, 1<<20); err == nil {
		var p refPin
		if json.Unmarshal(b, &p) == nil && p.Ref == ref {
			pin = &p
		}
	}
	if pin != nil && r.now().Sub(pin.Checked) < orDefault(r.MaxAge, DefaultMaxAge) {
		if f := r.cached(pin.Digest, need); f != nil {
			return f, nil
		}
	}
	if r.Registry {
		f, err := r.fromRegistry(ctx, ref, refKey, need)
		if err == nil {
			return f, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		notes = append(notes, err.Error())
	} else {
		notes = append(notes, "the registry was not asked (offline)")
	}
	if pin != nil {
		if f := r.cached(pin.Digest, Need{}); f != nil {
			f.Notes = append(f.Notes, fmt.Sprintf("cached on %s; %s", pin.Checked.UTC().Format("2006-01-02"), strings.Join(notes, "; ")))
			return f, nil
		}
	}
	return &Facts{Ref: ref, From: FromNone, Notes: notes}, nil
}

func (r *Resolver) platformString() string {
	if r.Platform == nil {
		return ""
	}
	return r.Platform.String()
}

// refPin records the digest a reference had when the registry was last
// asked.
type refPin struct {
	Ref     string    `json:"ref"`
	Digest  string    `json:"digest"`
	Checked time.Time `json:"checked"`
}

func hashKey(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:12])
}

func factsKey(id string) string { return "facts-" + hashKey(id) + ".json" }

// cached returns the cached facts of an image ID or digest, if they
// answer need.
func (r *Resolver) cached(id string, need Need) *Facts {
	if id == "" {
		return nil
	}
	b, _, err := r.Cache.Read(factsKey(id), maxFactsFile)
	if err != nil {
		return nil
	}
	var f Facts
	if json.Unmarshal(b, &f) != nil || f.ID != id || f.Version != FactsVersion {
		return nil
	}
	if need.Files && !f.FilesRead {
		return nil
	}
	f.Cached = true
	return &f
}

func (r *Resolver) store(f *Facts) {
	f.Version = FactsVersion
	if b, err := json.Marshal(f); err == nil {
		_ = r.Cache.Write(factsKey(f.ID), b)
	}
}

// fromEngine asks the local Engine for ref; the files are read from a
// save stream when needed and not cached.
func (r *Resolver) fromEngine(ctx context.Context, ref string, need Need) (*Facts, error) {
	ictx, cancel := context.WithTimeout(ctx, inspectTimeout)
	defer cancel()
	cli, err := r.Engine(ictx)
	if err != nil {
		return nil, fmt.Errorf("no Docker Engine: %w", err)
	}
	info, err := cli.ImageInspect(ictx, ref)
	cli.Close()
	switch {
	case errdefs.IsNotFound(err):
		return nil, fmt.Errorf("the local Docker Engine has no %s", ref)
	case client.IsErrConnectionFailed(err):
		return nil, errors.New("no Docker Engine answers (DOCKER_HOST)")
	case err != nil:
		return nil, fmt.Errorf("the Docker Engine: %w", err)
	}
	f := r.cached(info.ID, need)
	if f == nil {
		f = &Facts{Ref: ref, ID: info.ID}
		if need.Files {
			rctx, cancel := context.WithTimeout(ctx, orDefault(r.ReadTimeout, DefaultReadTimeout))
			defer cancel()
			sc := newScanner()
			if err := daemon.New(ref, daemon.Options{Engine: r.Engine, Platform: r.Platform}).Walk(rctx, sc); err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				return nil, fmt.Errorf("reading %s from the Docker Engine: %w", ref, err)
			}
			files, sizes, _, err := sc.merged()
			if err != nil {
				return nil, fmt.Errorf("reading %s from the Docker Engine: %w", ref, err)
			}
			f.fill(files)
			f.fillSizes(sizes)
		}
	}
	f.Ref, f.From = ref, FromEngine
	f.Size, f.SizeKnown = info.Size, true
	f.Layers = len(info.RootFS.Layers)
	if info.Config != nil {
		f.Env, f.WorkingDir, f.User = info.Config.Env, info.Config.WorkingDir, info.Config.User
	}
	f.Read = r.now()
	r.store(f)
	return f, nil
}

// fromRegistry asks the registry for ref's manifest, and reads its
// layers when the files are needed and not cached.
func (r *Resolver) fromRegistry(ctx context.Context, ref, refKey string, need Need) (*Facts, error) {
	src, err := registry.New(ref, registry.Options{Platform: r.Platform, Insecure: r.Insecure})
	if err != nil {
		return nil, err
	}
	mctx, cancel := context.WithTimeout(ctx, orDefault(r.Timeout, DefaultTimeout))
	m, err := src.Meta(mctx)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	pin := refPin{Ref: ref, Digest: m.Digest, Checked: r.now()}
	if b, err := json.Marshal(pin); err == nil {
		_ = r.Cache.Write(refKey, b)
	}
	if f := r.cached(m.Digest, need); f != nil {
		return f, nil
	}
	f := &Facts{Ref: ref, ID: m.Digest, From: FromRegistry, Layers: len(m.Layers), Read: r.now()}
	for _, l := range m.Layers {
		if l.Size > 0 {
			f.Compressed += l.Size
		}
	}
	if m.Config != nil {
		f.Env, f.WorkingDir, f.User = m.Config.Config.Env, m.Config.Config.WorkingDir, m.Config.Config.User
	}
	if need.Files {
		rctx, cancel := context.WithTimeout(ctx, orDefault(r.ReadTimeout, DefaultReadTimeout))
		defer cancel()
		sc := newScanner()
		if err := src.Walk(rctx, sc); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("reading the layers of %s: %w", ref, err)
		}
		files, sizes, total, err := sc.merged()
		if err != nil {
			return nil, err
		}
		f.fill(files)
		f.fillSizes(sizes)
		f.Size, f.SizeKnown = total, true
	}
	r.store(f)
	return f, nil
}
