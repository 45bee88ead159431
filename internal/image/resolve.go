package image

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// maxMetaSize bounds a manifest, index or configuration read into memory.
const maxMetaSize = 8 << 20

// metaStore is what image resolution needs from an archive or layout: the
// content of small metadata files, and the keys of layer blobs.
type metaStore interface {
	// readMeta returns a metadata file's content (at most maxMetaSize).
	readMeta(name string) ([]byte, error)
	// blob returns the key a layer blob is handed over under (following
	// archive links) and its size, or an error when it is missing.
	blob(name string) (key string, size int64, err error)
	// has reports whether a file exists.
	has(name string) bool
}

// readAllLimited reads r up to limit bytes, failing beyond.
func readAllLimited(r io.Reader, limit int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes, not image metadata", what, limit)
	}
	return b, nil
}

// dockerManifestEntry is one image of a docker save manifest.json.
type dockerManifestEntry struct {
	Config   string   `json:"Config"`
	RepoTags []string `json:"RepoTags"`
	Layers   []string `json:"Layers"`
}

// resolveArchive reads an archive's or layout's metadata. A docker save
// archive has manifest.json (old and new layouts); an OCI layout has
// index.json. preferOCI picks index.json when both exist. tag, when not
// empty, selects an image by name.
func resolveArchive(st metaStore, transport, ref, tag string, preferOCI bool, platform *v1.Platform) (*Meta, error) {
	hasDocker, hasOCI := st.has("manifest.json"), st.has("index.json")
	switch {
	case hasOCI && (preferOCI || !hasDocker):
		return resolveOCI(st, transport, ref, tag, platform)
	case hasDocker:
		return resolveDockerArchive(st, transport, ref, tag)
	}
	return nil, errors.New("neither manifest.json (docker save) nor index.json (OCI layout) found: not an image archive")
}

func resolveDockerArchive(st metaStore, transport, ref, tag string) (*Meta, error) {
	raw, err := st.readMeta("manifest.json")
	if err != nil {
		return nil, fmt.Errorf("reading manifest.json: %w", err)
	}
	var entries []dockerManifestEntry
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, fmt.Errorf("parsing manifest.json: %w", err)
	}
	if len(entries) == 0 {
		return nil, errors.New("manifest.json lists no image")
	}
	m := &Meta{Transport: transport, Ref: ref}
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
	cfgRaw, err := st.readMeta(e.Config)
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
		key, size, err := st.blob(name)
		if err != nil {
			return nil, &LayerError{Index: i, Key: name, Err: err}
		}
		l := LayerMeta{Key: key, Size: size}
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
	hexRe       = regexp.MustCompile(`^[a-f0-9]+$`)
	algorithmRe = regexp.MustCompile(`^[a-z0-9]+([+._-][a-z0-9]+)*$`)
)

// blobPath is where an OCI layout stores a blob.
func blobPath(h v1.Hash) (string, error) {
	if !algorithmRe.MatchString(h.Algorithm) || !hexRe.MatchString(h.Hex) {
		return "", fmt.Errorf("invalid digest %q", h.String())
	}
	return "blobs/" + h.Algorithm + "/" + h.Hex, nil
}

func resolveOCI(st metaStore, transport, ref, tag string, platform *v1.Platform) (*Meta, error) {
	raw, err := st.readMeta("index.json")
	if err != nil {
		return nil, fmt.Errorf("reading index.json: %w", err)
	}
	idx, err := v1.ParseIndexManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parsing index.json: %w", err)
	}
	m := &Meta{Transport: transport, Ref: ref}
	desc, err := pickManifest(st, idx, "index.json", tag, platform, m, 0)
	if err != nil {
		return nil, err
	}
	return readOCIManifest(st, desc, m)
}

// maxIndexDepth bounds nested indexes.
const maxIndexDepth = 4

// pickManifest chooses the image manifest for platform from an index,
// descending into nested indexes.
func pickManifest(st metaStore, idx *v1.IndexManifest, where, tag string, platform *v1.Platform, m *Meta, depth int) (v1.Descriptor, error) {
	if depth > maxIndexDepth {
		return v1.Descriptor{}, fmt.Errorf("%s: indexes nested more than %d deep", where, maxIndexDepth)
	}
	chosen, err := chooseDescriptor(idx.Manifests, where, tag, depth == 0, platform, m)
	if err != nil {
		return v1.Descriptor{}, err
	}
	if chosen.MediaType.IsIndex() {
		p, err := blobPath(chosen.Digest)
		if err != nil {
			return v1.Descriptor{}, fmt.Errorf("%s: %w", where, err)
		}
		raw, err := st.readMeta(p)
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

// chooseDescriptor picks, among an index's manifests, the image (or nested
// index) for platform, and the one named tag when byTag. Attestation
// manifests are skipped.
func chooseDescriptor(manifests []v1.Descriptor, where, tag string, byTag bool, platform *v1.Platform, m *Meta) (v1.Descriptor, error) {
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
func readOCIManifest(st metaStore, desc v1.Descriptor, m *Meta) (*Meta, error) {
	p, err := blobPath(desc.Digest)
	if err != nil {
		return nil, err
	}
	raw, err := st.readMeta(p)
	if err != nil {
		return nil, fmt.Errorf("reading manifest %s: %w", desc.Digest, err)
	}
	man, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parsing manifest %s: %w", desc.Digest, err)
	}
	m.Digest = desc.Digest.String()
	m.MediaType = string(desc.MediaType)
	return fillFromManifest(st, man, m)
}

// fillFromManifest reads the configuration a manifest names and lists its
// layers.
func fillFromManifest(st metaStore, man *v1.Manifest, m *Meta) (*Meta, error) {
	cp, err := blobPath(man.Config.Digest)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfgRaw, err := st.readMeta(cp)
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
			return nil, &LayerError{Index: i, Digest: l.Digest.String(), Err: fmt.Errorf("unknown media type %q: not an image layer", l.MediaType)}
		}
		bp, err := blobPath(l.Digest)
		if err != nil {
			return nil, &LayerError{Index: i, Digest: l.Digest.String(), Err: err}
		}
		key, size, err := st.blob(bp)
		if err != nil {
			return nil, &LayerError{Index: i, Digest: l.Digest.String(), Err: err}
		}
		if size < 0 {
			size = l.Size
		} else if l.Size > 0 && size != l.Size {
			return nil, &LayerError{Index: i, Digest: l.Digest.String(), Err: fmt.Errorf("blob is %d bytes, the manifest says %d", size, l.Size)}
		}
		m.Layers = append(m.Layers, LayerMeta{Key: key, Digest: l.Digest.String(), MediaType: string(l.MediaType), Size: size})
	}
	return m, nil
}

// layerMediaType reports whether a manifest may list mt as a layer.
func layerMediaType(mt types.MediaType) bool {
	return mt == "" || mt.IsLayer() || mt == "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"
}
