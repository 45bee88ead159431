package testenv

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/docker/docker/client"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

const saveTimeout = 10 * time.Minute

// EngineImage reads the image ref out of the engine (docker save) as a
// go-containerregistry image, for pushing or comparing. Its config is the
// engine's, byte for byte, so its config digest is the engine's image ID.
// Its layers are gzip-compressed once, into files in a temporary directory,
// so pushing or reading them does not compress them again.
func EngineImage(t testing.TB, cli *client.Client, ref string) v1.Image {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), saveTimeout)
	defer cancel()
	dir := t.TempDir()
	saved := filepath.Join(dir, "image.tar")
	if err := saveImage(ctx, cli, ref, saved); err != nil {
		t.Fatal(err)
	}
	img, err := compressSaved(ctx, saved, dir)
	if err != nil {
		t.Fatalf("reading image %s saved from the engine: %v", ref, err)
	}
	if err := os.Remove(saved); err != nil {
		t.Fatal(err)
	}
	return img
}

func saveImage(ctx context.Context, cli *client.Client, ref, path string) (err error) {
	rc, err := cli.ImageSave(ctx, []string{ref})
	if err != nil {
		return fmt.Errorf("saving image %s from the engine: %w", ref, err)
	}
	defer rc.Close()
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("saving image %s: %w", ref, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("saving image %s: %w", ref, cerr)
		}
	}()
	if _, err := io.Copy(f, rc); err != nil {
		return fmt.Errorf("saving image %s from the engine: %w", ref, err)
	}
	return nil
}

// compressSaved turns the single image in the docker-save tarball at saved
// into an image whose layers are gzip files written under dir. Each layer's
// content is checked against the diff ID the config gives it.
func compressSaved(ctx context.Context, saved, dir string) (v1.Image, error) {
	src, err := tarball.ImageFromPath(saved, nil)
	if err != nil {
		return nil, err
	}
	config, err := src.RawConfigFile()
	if err != nil {
		return nil, err
	}
	cfg, err := src.ConfigFile()
	if err != nil {
		return nil, err
	}
	layers, err := src.Layers()
	if err != nil {
		return nil, err
	}
	if len(layers) != len(cfg.RootFS.DiffIDs) {
		return nil, fmt.Errorf("%d layers but the config lists %d diff IDs", len(layers), len(cfg.RootFS.DiffIDs))
	}
	configDigest, configSize, err := v1.SHA256(bytes.NewReader(config))
	if err != nil {
		return nil, err
	}
	img := &gzipImage{
		config: config,
		layers: make(map[v1.Hash]*gzipLayer, len(layers)),
	}
	manifest := v1.Manifest{
		SchemaVersion: 2,
		MediaType:     types.DockerManifestSchema2,
		Config:        v1.Descriptor{MediaType: types.DockerConfigJSON, Size: configSize, Digest: configDigest},
	}
	for i, l := range layers {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		gl, err := compressLayer(l, filepath.Join(dir, fmt.Sprintf("layer-%d.tar.gz", i)))
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		if gl.diffID != cfg.RootFS.DiffIDs[i] {
			return nil, fmt.Errorf("layer %d: content has diff ID %s, the config says %s", i, gl.diffID, cfg.RootFS.DiffIDs[i])
		}
		img.layers[gl.digest] = gl
		manifest.Layers = append(manifest.Layers, v1.Descriptor{MediaType: types.DockerLayer, Size: gl.size, Digest: gl.digest})
	}
	if img.manifest, err = json.Marshal(manifest); err != nil {
		return nil, err
	}
	return partial.CompressedToImage(img)
}

// compressLayer writes l's content gzip-compressed to path, hashing both
// forms on the way.
func compressLayer(l v1.Layer, path string) (_ *gzipLayer, err error) {
	rc, err := l.Uncompressed()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	blob := &countingHash{Hash: sha256.New()}
	zw, err := gzip.NewWriterLevel(io.MultiWriter(f, blob), gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	diff := sha256.New()
	if _, err := io.Copy(zw, io.TeeReader(rc, diff)); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return &gzipLayer{
		path:   path,
		digest: sha256Hash(blob),
		diffID: sha256Hash(diff),
		size:   blob.n,
	}, nil
}

type countingHash struct {
	hash.Hash
	n int64
}

func (c *countingHash) Write(p []byte) (int, error) {
	n, err := c.Hash.Write(p)
	c.n += int64(n)
	return n, err
}

func sha256Hash(h hash.Hash) v1.Hash {
	return v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(h.Sum(nil))}
}

// gzipImage is an image whose manifest, config and gzip layers are at hand.
type gzipImage struct {
	config, manifest []byte
	layers           map[v1.Hash]*gzipLayer
}

func (i *gzipImage) RawConfigFile() ([]byte, error) { return i.config, nil }

func (i *gzipImage) MediaType() (types.MediaType, error) { return types.DockerManifestSchema2, nil }

func (i *gzipImage) RawManifest() ([]byte, error) { return i.manifest, nil }

func (i *gzipImage) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	if l, ok := i.layers[h]; ok {
		return l, nil
	}
	return nil, fmt.Errorf("the image has no layer %s", h)
}

// gzipLayer is a layer kept as a gzip file.
type gzipLayer struct {
	path           string
	digest, diffID v1.Hash
	size           int64
}

func (l *gzipLayer) Digest() (v1.Hash, error)            { return l.digest, nil }
func (l *gzipLayer) DiffID() (v1.Hash, error)            { return l.diffID, nil }
func (l *gzipLayer) Size() (int64, error)                { return l.size, nil }
func (l *gzipLayer) MediaType() (types.MediaType, error) { return types.DockerLayer, nil }
func (l *gzipLayer) Compressed() (io.ReadCloser, error)  { return os.Open(l.path) }
