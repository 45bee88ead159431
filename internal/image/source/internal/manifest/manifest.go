// Package manifest reads what the image sources share: the metadata of
// docker save archives (manifest.json, in the layouts before and after
// Docker 25) and of OCI layouts (index.json, nested indexes, image
// manifests and configurations), from any Store of files; the choice of
// an image by tag and platform; and the parallel walk of the layer blobs
// a manifest names. It is internal to the sources.
package manifest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"runtime"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"golang.org/x/sync/errgroup"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/lazyre"
)

// MaxMetaSize bounds a manifest, index or configuration read into memory.
const MaxMetaSize = 8 << 20

// MaxLinkHops bounds the links followed inside an archive, the way Linux
// bounds symbolic links (ELOOP).
const MaxLinkHops = 40

// MaxIndexDepth bounds nested indexes.
const MaxIndexDepth = 4

// MaxArchiveMembers bounds the members of an archive (a docker save
// archive has a handful of members per layer).
const MaxArchiveMembers = 1 << 20

// Store is what image resolution needs from an archive, a layout or a
// registry: the content of small metadata files, and the keys of layer
// blobs.
type Store interface {
	// ReadMeta returns a metadata file's content (at most MaxMetaSize).
	ReadMeta(name string) ([]byte, error)
	// Blob returns the key a layer blob is handed over under (following
	// archive links) and its size (-1 when unknown), or an error when it
	// is missing.
	Blob(name string) (key string, size int64, err error)
	// Has reports whether a file exists.
	Has(name string) bool
}

// HostPlatform is the platform of the machine strata runs on (images are
// Linux images wherever strata runs). No variant is set, so any variant of
// the architecture matches.
func HostPlatform() *v1.Platform {
	return &v1.Platform{OS: "linux", Architecture: runtime.GOARCH}
}

// SplitPathTag splits "path:tag" when path exists and "path:tag" does
// not. The tag may hold colons and slashes itself, as image names do
// ("app.tar:app:1", "app.tar:reg.local:5000/team/app:1"): the path ends at
// the first colon that leaves an existing path before it.
func SplitPathTag(ref string) (string, string) {
	if _, err := os.Stat(ref); err == nil {
		return ref, ""
	}
	for i := 0; i < len(ref); i++ {
		if ref[i] != ':' || i == 0 || i == len(ref)-1 {
			continue
		}
		if _, err := os.Stat(ref[:i]); err == nil {
			return ref[:i], ref[i+1:]
		}
	}
	return ref, ""
}

// CleanName normalizes an archive member name ("./a/../b" is "b").
func CleanName(name string) string {
	p := path.Clean("/" + name)
	return strings.TrimPrefix(p, "/")
}

// LinkTarget returns the member an archive's link names: for a symbolic
// link, its target taken from the link's folder; for a hard link, its
// name from the archive's root. A link whose target is absolute or climbs
// above the archive's root leads out of the archive: it is refused (an
// error naming the link), never followed, wherever it points.
func LinkTarget(name, linkname string, symbolic bool) (string, error) {
	t := linkname
	if symbolic && !path.IsAbs(t) {
		t = path.Join(path.Dir(name), t)
	}
	c := path.Clean(t)
	if path.IsAbs(c) || c == ".." || strings.HasPrefix(c, "../") {
		return "", fmt.Errorf("%s is a link to %q, which leads out of the archive; refusing to follow it", name, linkname)
	}
	return c, nil
}

// ReadLimited reads r up to limit bytes, failing beyond.
func ReadLimited(r io.Reader, limit int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes, not image metadata", what, limit)
	}
	return b, nil
}

// dockerEntry is one image of a docker save manifest.json.
type dockerEntry struct {
	Config   string   `json:"Config"`
	RepoTags []string `json:"RepoTags"`
	Layers   []string `json:"Layers"`
}

// Resolve reads an archive's or layout's metadata. A docker save archive
// has manifest.json (old and new layouts); an OCI layout has index.json.
// preferOCI picks index.json when both exist. tag, when not empty,
// selects an image by name; platform (nil: the host's) picks one from an
// index.
func Resolve(st Store, transport, ref, tag string, preferOCI bool, platform *v1.Platform) (*image.Meta, error) {
	hasDocker, hasOCI := st.Has("manifest.json"), st.Has("index.json")
	switch {
	case hasOCI && (preferOCI || !hasDocker):
		return ResolveOCI(st, transport, ref, tag, platform)
	case hasDocker:
		return resolveDockerArchive(st, transport, ref, tag)
	}
	return nil, errors.New("neither manifest.json (docker save) nor index.json (OCI layout) found: not an image archive")
}

func resolveDockerArchive(st Store, transport, ref, tag string) (*image.Meta, error) {
	raw, err := st.ReadMeta("manifest.json")
	if err != nil {
		return nil, fmt.Errorf("reading manifest.json: %w", err)
	}
	var entries []dockerEntry
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, fmt.Errorf("parsing manifest.json: %w", err)
	}
	if len(entries) == 0 {
		return nil, errors.New("manifest.json lists no image")
	}
	m := &image.Meta{Transport: transport, Ref: ref}
	chosen := 0
	if tag != "" {
		chosen = -1
		for i, e := range entries {
			for _, t := range e.RepoTags {
				if t == tag || strings.TrimPrefix(t, "docker.io/library/") == tag {
					chosen = i
				}
			}
		}
		if chosen < 0 {
			return nil, fmt.Errorf("no image tagged %q in manifest.json", tag)
		}
	} else if len(entries) > 1 {
		m.Notes = append(m.Notes, fmt.Sprintf("the archive holds %d images; reading the first (%s)", len(entries), strings.Join(entries[0].RepoTags, ", ")))
	}
	e := entries[chosen]
	m.Tags = e.RepoTags
	if e.Config == "" {
		return nil, errors.New("manifest.json: image has no Config entry")
	}
	cfgRaw, err := st.ReadMeta(e.Config)
	if err != nil {
		return nil, fmt.Errorf("reading configuration %s: %w", e.Config, err)
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(cfgRaw))
	if err != nil {
		return nil, fmt.Errorf("parsing configuration %s: %w", e.Config, err)
	}
	m.Config = cfg
	m.ConfigDigest = configDigest(e.Config, cfgRaw)
	for i, name := range e.Layers {
		key, size, err := st.Blob(name)
		if err != nil {
			return nil, &image.LayerError{Index: i, Key: name, Err: err}
		}
		l := image.LayerMeta{Key: key, Size: size}
		if i < len(cfg.RootFS.DiffIDs) {
			l.Digest = cfg.RootFS.DiffIDs[i].String()
		}
		m.Layers = append(m.Layers, l)
	}
	return m, nil
}

// configDigest names a configuration: its blob digest when the file name
// carries it, otherwise the SHA-256 of its content.
func configDigest(name string, raw []byte) string {
	base := strings.TrimSuffix(path.Base(name), ".json")
	if hexRe.MatchString(base) && len(base) == 64 {
		return "sha256:" + base
	}
	h, _, err := v1.SHA256(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	return h.String()
}

var (
	hexRe       = lazyre.New(`^[a-f0-9]+$`)
	algorithmRe = lazyre.New(`^[a-z0-9]+([+._-][a-z0-9]+)*$`)
)

// BlobPath is where an OCI layout stores a blob: blobs/<algorithm>/<hex>.
func BlobPath(h v1.Hash) (string, error) {
	if !algorithmRe.MatchString(h.Algorithm) || !hexRe.MatchString(h.Hex) {
		return "", fmt.Errorf("invalid digest %q", h.String())
	}
	return "blobs/" + h.Algorithm + "/" + h.Hex, nil
}

// ResolveOCI reads an OCI layout's metadata: index.json, nested indexes,
// the image manifest for tag and platform (nil: the host's), and its
// configuration.
func ResolveOCI(st Store, transport, ref, tag string, platform *v1.Platform) (*image.Meta, error) {
	raw, err := st.ReadMeta("index.json")
	if err != nil {
		return nil, fmt.Errorf("reading index.json: %w", err)
	}
	idx, err := v1.ParseIndexManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parsing index.json: %w", err)
	}
	m := &image.Meta{Transport: transport, Ref: ref}
	desc, err := pickManifest(st, idx, "index.json", tag, platform, m, 0)
	if err != nil {
		return nil, err
	}
	return readOCIManifest(st, desc, m)
}

// pickManifest chooses the image manifest for platform from an index,
// descending into nested indexes.
func pickManifest(st Store, idx *v1.IndexManifest, where, tag string, platform *v1.Platform, m *image.Meta, depth int) (v1.Descriptor, error) {
	if depth > MaxIndexDepth {
		return v1.Descriptor{}, fmt.Errorf("%s: indexes nested more than %d deep", where, MaxIndexDepth)
	}
	chosen, err := Choose(idx.Manifests, where, tag, depth == 0, platform, m)
	if err != nil {
		return v1.Descriptor{}, err
	}
	if chosen.MediaType.IsIndex() {
		p, err := BlobPath(chosen.Digest)
		if err != nil {
			return v1.Descriptor{}, fmt.Errorf("%s: %w", where, err)
		}
		raw, err := st.ReadMeta(p)
		if err != nil {
			return v1.Descriptor{}, fmt.Errorf("reading index %s: %w", chosen.Digest, err)
		}
		sub, err := v1.ParseIndexManifest(bytes.NewReader(raw))
		if err != nil {
			return v1.Descriptor{}, fmt.Errorf("parsing index %s: %w", chosen.Digest, err)
		}
		return pickManifest(st, sub, "index "+chosen.Digest.String(), tag, platform, m, depth+1)
	}
	return chosen, nil
}

// Choose picks, among an index's manifests, the image (or nested index)
// for platform (nil: the host's), and the one named tag when byTag.
// Attestation manifests are skipped. What it picked and why goes to m's
// notes and tags.
func Choose(manifests []v1.Descriptor, where, tag string, byTag bool, platform *v1.Platform, m *image.Meta) (v1.Descriptor, error) {
	if platform == nil {
		platform = HostPlatform()
	}
	var cands []v1.Descriptor
	for _, d := range manifests {
		if !d.MediaType.IsImage() && !d.MediaType.IsIndex() {
			continue
		}
		if tag != "" && byTag {
			name := d.Annotations["org.opencontainers.image.ref.name"]
			full := d.Annotations["io.containerd.image.name"]
			if name != tag && full != tag && !strings.HasSuffix(full, ":"+tag) {
				continue
			}
		}
		if d.Platform != nil && d.Platform.OS == "unknown" {
			continue // attestation manifests
		}
		cands = append(cands, d)
	}
	if len(cands) == 0 {
		if tag != "" && byTag {
			return v1.Descriptor{}, fmt.Errorf("%s: no image named %q", where, tag)
		}
		return v1.Descriptor{}, fmt.Errorf("%s: no image manifest", where)
	}
	var chosen *v1.Descriptor
	if len(cands) == 1 {
		chosen = &cands[0]
	} else {
		var avail []string
		for i := range cands {
			d := &cands[i]
			if d.Platform == nil {
				if chosen == nil && d.MediaType.IsIndex() {
					chosen = d
				}
				continue
			}
			avail = append(avail, d.Platform.String())
			if chosen == nil && d.Platform.Satisfies(*platform) {
				chosen = d
			}
		}
		if chosen == nil {
			if len(avail) == 0 {
				chosen = &cands[0]
				m.Notes = append(m.Notes, fmt.Sprintf("%s lists %d images without platforms; reading the first", where, len(cands)))
			} else {
				return v1.Descriptor{}, fmt.Errorf("%s: no image for platform %s (available: %s); pick one with --platform", where, platform, strings.Join(avail, ", "))
			}
		}
	}
	if chosen.MediaType.IsImage() {
		if chosen.Platform != nil {
			m.Notes = append(m.Notes, "platform "+chosen.Platform.String())
		}
		if name := chosen.Annotations["io.containerd.image.name"]; name != "" {
			m.Tags = append(m.Tags, name)
		} else if name := chosen.Annotations["org.opencontainers.image.ref.name"]; name != "" {
			m.Tags = append(m.Tags, name)
		}
	}
	return *chosen, nil
}

// readOCIManifest reads an image manifest and its configuration and lists
// the layers.
func readOCIManifest(st Store, desc v1.Descriptor, m *image.Meta) (*image.Meta, error) {
	p, err := BlobPath(desc.Digest)
	if err != nil {
		return nil, err
	}
	raw, err := st.ReadMeta(p)
	if err != nil {
		return nil, fmt.Errorf("reading manifest %s: %w", desc.Digest, err)
	}
	man, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parsing manifest %s: %w", desc.Digest, err)
	}
	m.Digest = desc.Digest.String()
	m.MediaType = string(desc.MediaType)
	return FromManifest(st, man, m)
}

// FromManifest reads the configuration an image manifest names into m and
// lists its layers.
func FromManifest(st Store, man *v1.Manifest, m *image.Meta) (*image.Meta, error) {
	cp, err := BlobPath(man.Config.Digest)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfgRaw, err := st.ReadMeta(cp)
	if err != nil {
		return nil, fmt.Errorf("reading configuration %s: %w", man.Config.Digest, err)
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(cfgRaw))
	if err != nil {
		return nil, fmt.Errorf("parsing configuration %s: %w", man.Config.Digest, err)
	}
	m.Config = cfg
	m.ConfigDigest = man.Config.Digest.String()
	for i, l := range man.Layers {
		if !layerMediaType(l.MediaType) {
			return nil, &image.LayerError{Index: i, Digest: l.Digest.String(), Err: fmt.Errorf("unknown media type %q: not an image layer", l.MediaType)}
		}
		bp, err := BlobPath(l.Digest)
		if err != nil {
			return nil, &image.LayerError{Index: i, Digest: l.Digest.String(), Err: err}
		}
		key, size, err := st.Blob(bp)
		if err != nil {
			return nil, &image.LayerError{Index: i, Digest: l.Digest.String(), Err: err}
		}
		if size < 0 {
			size = l.Size
		} else if l.Size > 0 && size != l.Size {
			return nil, &image.LayerError{Index: i, Digest: l.Digest.String(), Err: fmt.Errorf("blob is %d bytes, the manifest says %d", size, l.Size)}
		}
		m.Layers = append(m.Layers, image.LayerMeta{Key: key, Digest: l.Digest.String(), BlobDigest: l.Digest.String(), MediaType: string(l.MediaType), Size: size})
	}
	return m, nil
}

// layerMediaType reports whether a manifest may list mt as a layer.
func layerMediaType(mt types.MediaType) bool {
	return mt == "" || mt.IsLayer() || mt == "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"
}

// sized is a reader that knows how many bytes it holds, so the layer
// reader can size its buffer.
type sized struct {
	io.Reader
	size int64
}

func (s sized) Size() int64 { return s.size }

// Sized wraps r, which holds size bytes, so that a Handler can size its
// buffers (see image.Handler).
func Sized(r io.Reader, size int64) io.Reader { return sized{Reader: r, size: size} }

// WalkBlobs hands every distinct layer blob of m to h, up to h.Jobs() at
// once, starting them in layer order. open returns a blob by key; its
// errors are reported as the layer's, under the source's name.
func WalkBlobs(ctx context.Context, name string, h image.Handler, m *image.Meta, open func(key string) (io.ReadCloser, error)) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, h.Jobs()))
	seen := map[string]bool{}
	for i, l := range m.Layers {
		if seen[l.Key] {
			continue
		}
		seen[l.Key] = true
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			// A handler that already knows the layer is spared its blob.
			if sk, ok := h.(image.LayerSkipper); ok {
				skip, err := sk.Skip(gctx, l.Key)
				if err != nil || skip {
					return err
				}
			}
			rc, err := open(l.Key)
			if err != nil {
				return &image.LayerError{Image: name, Index: i, Digest: l.Digest, Key: l.Key, Err: err}
			}
			defer rc.Close()
			var r io.Reader = rc
			if l.Size >= 0 {
				r = Sized(rc, l.Size)
			}
			return h.Layer(gctx, l.Key, r)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}
