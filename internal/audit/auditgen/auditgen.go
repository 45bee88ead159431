// Package auditgen pushes a registry's worth of images for strata audit's
// tests and benchmark: images on a few shared base layer sets, each with
// layers of its own (application files, and in some a layer that deletes
// or overwrites what an earlier one wrote, and a duplicate), tagged in
// several repositories, as real images from real layers
// (go-containerregistry), pushed to a real registry.
package auditgen

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"golang.org/x/sync/errgroup"
)

// Spec says what to push.
type Spec struct {
	// Registry is host:port; Prefix the repositories' prefix.
	Registry, Prefix string
	// Images is the number of images, Repos the repositories they are
	// spread over (image i is tagged v<i> in repository app-<i mod Repos>).
	Images, Repos int
	// Bases are the base layer sets: image i is built on Bases[i mod
	// len(Bases)].
	Bases []Base
	// AppFiles and AppFileSize size each image's own application layer.
	AppFiles, AppFileSize int
	// Jobs bounds the images pushed at once.
	Jobs int
}

// Base is a base layer set: the layers of an image already in the
// registry (Ref), and generated layers on top (Files files of FileSize
// bytes each, per layer).
type Base struct {
	Name      string
	Ref       string
	Generated int
	Files     int
	FileSize  int
}

// Fixture is what was pushed.
type Fixture struct {
	// Refs are the images, repository:tag.
	Refs []string
	// Layers maps the distinct layer digests of all the images to one
	// repository that holds each (to fetch it from).
	Layers map[v1.Hash]string
	// DiffIDs maps the same digests to the layers' diff IDs (the digest
	// of the uncompressed tar stream).
	DiffIDs map[v1.Hash]v1.Hash
}

// Push builds and pushes the images.
func Push(ctx context.Context, spec Spec) (*Fixture, error) {
	if spec.Repos <= 0 {
		spec.Repos = 1
	}
	if spec.Jobs <= 0 {
		spec.Jobs = 4
	}
	bases := make([]v1.Image, len(spec.Bases))
	for i, b := range spec.Bases {
		img, err := baseImage(ctx, b, i)
		if err != nil {
			return nil, fmt.Errorf("base %s: %w", b.Name, err)
		}
		bases[i] = img
	}
	fx := &Fixture{Refs: make([]string, spec.Images), Layers: map[v1.Hash]string{}, DiffIDs: map[v1.Hash]v1.Hash{}}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(spec.Jobs)
	for i := range spec.Images {
		g.Go(func() error {
			img, err := appImage(bases[i%len(bases)], i, spec)
			if err != nil {
				return err
			}
			ref, err := name.NewTag(fmt.Sprintf("%s/%s/app-%d:v%d", spec.Registry, spec.Prefix, i%spec.Repos, i))
			if err != nil {
				return err
			}
			if err := remote.Write(ref, img, remote.WithContext(gctx)); err != nil {
				return fmt.Errorf("pushing %s: %w", ref, err)
			}
			ls, err := img.Layers()
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			fx.Refs[i] = ref.String()
			for _, l := range ls {
				d, err := l.Digest()
				if err != nil {
					return err
				}
				if _, ok := fx.Layers[d]; !ok {
					diffID, err := l.DiffID()
					if err != nil {
						return err
					}
					fx.Layers[d] = ref.Context().String()
					fx.DiffIDs[d] = diffID
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return fx, nil
}

// baseImage is a base layer set: the image at b.Ref (or nothing) with
// b.Generated layers of generated files on top.
func baseImage(ctx context.Context, b Base, seed int) (v1.Image, error) {
	img := empty.Image
	if b.Ref != "" {
		ref, err := name.ParseReference(b.Ref)
		if err != nil {
			return nil, err
		}
		if img, err = remote.Image(ref, remote.WithContext(ctx)); err != nil {
			return nil, err
		}
	}
	for k := range b.Generated {
		l, err := layer(func(tw *tar.Writer) error {
			dir := fmt.Sprintf("opt/%s-%d", b.Name, k)
			if err := dirEntry(tw, "opt/"); err != nil {
				return err
			}
			if err := dirEntry(tw, dir+"/"); err != nil {
				return err
			}
			rng := rand.New(rand.NewPCG(uint64(seed), uint64(k)))
			for f := range b.Files {
				if err := fileEntry(tw, fmt.Sprintf("%s/lib%04d.so", dir, f), content(rng, b.FileSize)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if img, err = mutate.Append(img, mutate.Addendum{Layer: l, History: v1.History{CreatedBy: fmt.Sprintf("RUN install %s part %d", b.Name, k)}}); err != nil {
			return nil, err
		}
	}
	return img, nil
}

// appImage is image i: the base with an application layer, and in every
// third image a clean-up layer that deletes a file and overwrites another
// (waste), plus a duplicate of a file.
func appImage(base v1.Image, i int, spec Spec) (v1.Image, error) {
	rng := rand.New(rand.NewPCG(uint64(i), 42))
	files := make([][]byte, spec.AppFiles)
	app, err := layer(func(tw *tar.Writer) error {
		if err := dirEntry(tw, "app/"); err != nil {
			return err
		}
		for f := range files {
			files[f] = content(rng, spec.AppFileSize/2+rng.IntN(spec.AppFileSize+1))
			if err := fileEntry(tw, fmt.Sprintf("app/module%03d.py", f), files[f]); err != nil {
				return err
			}
		}
		// A copy under another name: a duplicate.
		return fileEntry(tw, "app/module000-copy.py", files[0])
	})
	if err != nil {
		return nil, err
	}
	img, err := mutate.Append(base, mutate.Addendum{Layer: app, History: v1.History{CreatedBy: fmt.Sprintf("COPY app /app # image %d", i)}})
	if err != nil {
		return nil, err
	}
	if i%3 == 0 && len(files) > 2 {
		cleanup, err := layer(func(tw *tar.Writer) error {
			if err := dirEntry(tw, "app/"); err != nil {
				return err
			}
			if err := tw.WriteHeader(&tar.Header{Name: "app/.wh.module001.py", Typeflag: tar.TypeReg, Mode: 0o644}); err != nil {
				return err
			}
			return fileEntry(tw, "app/module002.py", content(rng, 100))
		})
		if err != nil {
			return nil, err
		}
		img, err = mutate.Append(img, mutate.Addendum{Layer: cleanup, History: v1.History{CreatedBy: fmt.Sprintf("RUN rm /app/module001.py # image %d", i)}})
		if err != nil {
			return nil, err
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Config.Cmd = []string{"python3", "/app/module000.py"}
	return mutate.ConfigFile(img, cf)
}

// content is n bytes that look like source text and compress like it.
func content(rng *rand.Rand, n int) []byte {
	words := []string{"def ", "return ", "import ", "self", ".value", " = ", "(", ")", ":\n", "    ", "if ", "else", "for ", " in ", "range", "0", "1", "x", "data", "\n"}
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(words[rng.IntN(len(words))])
		if rng.IntN(8) == 0 {
			fmt.Fprintf(&b, "%x", rng.Uint32())
		}
	}
	return b.Bytes()[:n]
}

// layer makes a gzip-compressed layer of the tar stream write writes.
func layer(write func(*tar.Writer) error) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := write(tw); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	raw := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil })
}

func dirEntry(tw *tar.Writer, name string) error {
	return tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeDir, Mode: 0o755})
}

func fileEntry(tw *tar.Writer, name string, body []byte) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body))}); err != nil {
		return err
	}
	_, err := tw.Write(body)
	return err
}
