// Package layercache keeps what strata learned from a blob on disk, by the
// blob's digest: the readings of layer blobs (it implements
// image.LayerStore) and any other record keyed by a content digest (an
// audit's summary of an image, by manifest digest), or a hint that a
// later run may overwrite (the tags an audit saw in a repository). It
// lives in the user's cache folder and is:
//
//   - content-addressed: a record's file is named after its key, and holds
//     a checksum of its payload, so a damaged or half-written file reads
//     as absent (and is removed), never as wrong data;
//   - safe against concurrent runs: files are written under a temporary
//     name and renamed into place, so readers see a whole record or none;
//     two runs that write the same key write the same content (a hint
//     excepted: the last one written stays);
//   - size-capped: past Options.MaxBytes the least recently used records
//     go (one run evicts at a time, under a lock file), down to 90% of the
//     cap;
//   - single-flight within a process: a record being made is made once,
//     and every other claim of its key waits for it.
package layercache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/stratatools/strata/internal/atomicfile"
)

// DefaultMaxBytes is the cap when Options.MaxBytes is 0.
const DefaultMaxBytes = 2 << 30

const (
	// maxRecord bounds a record's payload once decompressed.
	maxRecord = 1 << 30
	// touchAfter is how stale a record's time must be before a hit
	// refreshes it (the eviction order), to save a write per hit.
	touchAfter = time.Hour
	// staleTemp is the age after which a temporary file is a dead run's.
	staleTemp = time.Hour
	// evictTo is the share of the cap eviction brings the total down to.
	evictTo = 0.9
)

const fileMagic = "SLC1"

// Options say where the cache is and how large it may grow.
type Options struct {
	// Dir is the cache's folder; "" is DefaultDir().
	Dir string
	// Namespace separates records that must not mix: another format, or
	// readings made for other checks. Letters, digits, '.', '_', '-'.
	Namespace string
	// MaxBytes caps the namespace's files; 0 is DefaultMaxBytes.
	MaxBytes int64
}

// DefaultRoot is strata's folder in the user's cache folder
// ($XDG_CACHE_HOME or ~/.cache on Linux).
func DefaultRoot() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the user cache folder: %w", err)
	}
	return filepath.Join(d, "strata"), nil
}

// DefaultDir is the layer cache's folder: layers in DefaultRoot.
func DefaultDir() (string, error) {
	d, err := DefaultRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "layers"), nil
}

// Stats count what the cache did in this process.
type Stats struct {
	// Hits are records read from disk; Waits claims that waited for
	// another claim of the same key in this process; Fills records made.
	Hits, Waits, Fills int
	// Evicted counts the records removed to keep under the cap; Damaged
	// those that did not read back.
	Evicted, Damaged int
}

// Cache is one namespace of the cache. It is safe for concurrent use.
// What only writes need (the compressor, the namespace's size) is made
// on the first write, so that a run that only reads starts quickly.
type Cache struct {
	dir string
	max int64

	encOnce, decOnce, sizeOnce sync.Once
	enc                        *zstd.Encoder
	dec                        *zstd.Decoder
	encErr, decErr             error

	mu       sync.Mutex
	inflight map[string]*call
	size     int64
	stats    Stats
}

// call is a record being made.
type call struct {
	done chan struct{}
	data []byte
}

// validNamespace reports whether ns is a folder name of letters, digits,
// ".", "_" and "-".
func validNamespace(ns string) bool {
	return ns != "" && strings.Trim(ns, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == ""
}

// Open opens (creating it) the namespace's folder. The size of what it
// holds is added up on the first write.
func Open(opts Options) (*Cache, error) {
	if !validNamespace(opts.Namespace) {
		return nil, fmt.Errorf("layer cache: invalid namespace %q", opts.Namespace)
	}
	if opts.Dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return nil, err
		}
		opts.Dir = d
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	dir := filepath.Join(opts.Dir, opts.Namespace)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("layer cache: %w", err)
	}
	return &Cache{dir: dir, max: opts.MaxBytes, inflight: map[string]*call{}}, nil
}

// addSize counts n more bytes written, having added up the namespace's
// files on the first call, and reports whether the cap is passed.
func (c *Cache) addSize(n int64) bool {
	c.sizeOnce.Do(func() {
		files, _ := c.list() // a folder that cannot be listed counts as empty
		var total int64
		for _, f := range files {
			total += f.size
		}
		c.mu.Lock()
		c.size += total
		c.mu.Unlock()
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	c.size += n
	return c.size > c.max
}

// encoder returns the compressor, made on first use.
func (c *Cache) encoder() (*zstd.Encoder, error) {
	c.encOnce.Do(func() {
		c.enc, c.encErr = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
	})
	return c.enc, c.encErr
}

// decoder returns the decompressor, made on first use.
func (c *Cache) decoder() (*zstd.Decoder, error) {
	c.decOnce.Do(func() {
		c.dec, c.decErr = zstd.NewReader(nil, zstd.WithDecoderMaxMemory(maxRecord))
	})
	return c.dec, c.decErr
}

// Dir is the namespace's folder.
func (c *Cache) Dir() string { return c.dir }

// Stats returns what the cache did so far.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// path is where key's record lives: the SHA-256 of the key, sharded by
// its first two hex digits.
func (c *Cache) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	h := hex.EncodeToString(sum[:])
	return filepath.Join(c.dir, h[:2], h)
}

// Claim returns the record stored under key, or, when there is none, a
// fill that the caller must call exactly once with the record (nil when
// it could not make it). Other claims of key in this process wait for
// the fill, or for ctx. It implements image.LayerStore.
func (c *Cache) Claim(ctx context.Context, key string) ([]byte, func([]byte), error) {
	for {
		c.mu.Lock()
		if cl, ok := c.inflight[key]; ok {
			c.stats.Waits++
			c.mu.Unlock()
			select {
			case <-cl.done:
			case <-ctx.Done():
				return nil, nil, context.Cause(ctx)
			}
			if cl.data != nil {
				return cl.data, nil, nil
			}
			continue // the maker gave up: try again, perhaps as the maker
		}
		cl := &call{done: make(chan struct{})}
		c.inflight[key] = cl
		c.mu.Unlock()

		if data, ok := c.Get(key); ok {
			c.finish(key, cl, data)
			return data, nil, nil
		}
		var once sync.Once
		fill := func(data []byte) {
			once.Do(func() {
				if data != nil {
					// A record that cannot be written is still handed to
					// the claims waiting for it; the next run makes it
					// again.
					_ = c.Put(key, data)
					c.mu.Lock()
					c.stats.Fills++
					c.mu.Unlock()
				}
				c.finish(key, cl, data)
			})
		}
		return nil, fill, nil
	}
}

func (c *Cache) finish(key string, cl *call, data []byte) {
	c.mu.Lock()
	cl.data = data
	delete(c.inflight, key)
	c.mu.Unlock()
	close(cl.done)
}

// Get reads key's record. A record that does not read back whole is
// removed and reported absent.
func (c *Cache) Get(key string) ([]byte, bool) {
	p := c.path(key)
	raw, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	data, err := c.decode(raw)
	if err != nil {
		_ = os.Remove(p)
		c.mu.Lock()
		c.stats.Damaged++
		c.size -= int64(len(raw))
		c.mu.Unlock()
		return nil, false
	}
	if fi, err := os.Stat(p); err == nil && time.Since(fi.ModTime()) > touchAfter {
		now := time.Now()
		_ = os.Chtimes(p, now, now)
	}
	c.mu.Lock()
	c.stats.Hits++
	c.mu.Unlock()
	return data, true
}

// Put writes key's record atomically, then evicts the least recently
// used records if the namespace is over its cap.
func (c *Cache) Put(key string, data []byte) error {
	raw, err := c.encode(data)
	if err != nil {
		return err
	}
	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("layer cache: %w", err)
	}
	if err := atomicfile.Write(p, raw, 0o600, false); err != nil {
		return fmt.Errorf("layer cache: %w", err)
	}
	if c.addSize(int64(len(raw))) {
		return c.evict()
	}
	return nil
}

// encode frames a record: magic, the payload's SHA-256, the payload
// compressed with zstd.
func (c *Cache) encode(data []byte) ([]byte, error) {
	enc, err := c.encoder()
	if err != nil {
		return nil, fmt.Errorf("layer cache: %w", err)
	}
	sum := sha256.Sum256(data)
	out := append([]byte(fileMagic), sum[:]...)
	return enc.EncodeAll(data, out), nil
}

var (
	errDamaged = errors.New("damaged record")
	errClosed  = errors.New("the cache is closed")
)

func (c *Cache) decode(raw []byte) ([]byte, error) {
	if len(raw) < len(fileMagic)+sha256.Size || string(raw[:len(fileMagic)]) != fileMagic {
		return nil, errDamaged
	}
	dec, err := c.decoder()
	if err != nil {
		return nil, err
	}
	sum := raw[len(fileMagic) : len(fileMagic)+sha256.Size]
	data, err := dec.DecodeAll(raw[len(fileMagic)+sha256.Size:], nil)
	if err != nil || len(data) > maxRecord {
		return nil, errDamaged
	}
	if got := sha256.Sum256(data); !bytes.Equal(got[:], sum) {
		return nil, errDamaged
	}
	return data, nil
}

// file is one record on disk.
type file struct {
	path string
	size int64
	used time.Time
}

// list returns the namespace's records, and removes the temporary files
// of runs that died.
func (c *Cache) list() ([]file, error) {
	var out []file
	err := filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // another run removed it
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		if d.Name() == lockName {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			// A temporary file (records are named by hex digests): a
			// write in progress, or a dead run's.
			if time.Since(fi.ModTime()) > staleTemp {
				_ = os.Remove(p)
			}
			return nil
		}
		out = append(out, file{path: p, size: fi.Size(), used: fi.ModTime()})
		return nil
	})
	return out, err
}

const lockName = ".evict.lock"

// evict removes the least recently used records until the namespace is
// at 90% of its cap. Only one process evicts at a time: one that finds
// the lock taken leaves it to the other.
func (c *Cache) evict() error {
	lf, err := os.OpenFile(filepath.Join(c.dir, lockName), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("layer cache: %w", err)
	}
	defer lf.Close()
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return nil
	}
	defer func() { _ = syscall.Flock(int(lf.Fd()), syscall.LOCK_UN) }()
	files, err := c.list()
	if err != nil {
		return fmt.Errorf("layer cache %s: %w", c.dir, err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].used.Before(files[j].used) })
	var total int64
	for _, f := range files {
		total += f.size
	}
	target := int64(float64(c.max) * evictTo)
	evicted := 0
	for _, f := range files {
		if total <= target {
			break
		}
		if err := os.Remove(f.path); err == nil || errors.Is(err, fs.ErrNotExist) {
			total -= f.size
			evicted++
		}
	}
	c.mu.Lock()
	c.size = total
	c.stats.Evicted += evicted
	c.mu.Unlock()
	return nil
}

// Close releases the compressor's and decompressor's memory.
func (c *Cache) Close() error {
	// None is made from here on.
	c.decOnce.Do(func() { c.decErr = errClosed })
	c.encOnce.Do(func() { c.encErr = errClosed })
	if c.dec != nil {
		c.dec.Close()
	}
	if c.enc != nil {
		return c.enc.Close()
	}
	return nil
}
