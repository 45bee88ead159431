package audit

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/gate"
	"github.com/stratatools/strata/internal/vocab"
)

// The types below are the JSON contract of strata audit's report: do not
// rename fields. Sizes are in bytes.

// Report is what an audit found.
type Report struct {
	// Registry is the registry audited and Prefix the repository prefix
	// ("" for the whole registry).
	Registry string `json:"registry"`
	Prefix   string `json:"prefix,omitempty"`
	// Shard is "INDEX/COUNT" when the run audited one shard of the
	// repositories (see Options.Shards).
	Shard string `json:"shard,omitempty"`
	// Platforms lists the platforms picked from multi-platform images
	// ("all" for every one).
	Platforms []string  `json:"platforms"`
	Started   time.Time `json:"started"`
	Seconds   float64   `json:"seconds"`
	// Images are every image analysed, ranked (see Rank).
	Images []Image `json:"images"`
	// Layers are the distinct layers, the most shared first.
	Layers   []LayerUse `json:"layers"`
	Failures []Failure  `json:"failures"`
	Stats    Stats      `json:"stats"`
	// RankedBy says how Images are ordered: wasted, size or findings.
	RankedBy string `json:"ranked_by"`
}

// Image is one image (one platform's manifest) and what its analysis
// found.
type Image struct {
	Repository string `json:"repository"`
	// Tags are the repository's tags that name the image (directly, or
	// through the multi-platform index IndexDigest).
	Tags        []string `json:"tags"`
	Digest      string   `json:"digest"`
	IndexDigest string   `json:"index_digest,omitempty"`
	Platform    string   `json:"platform"`
	// Size is the layers' uncompressed size, CompressedSize as stored.
	Size           int64   `json:"size"`
	CompressedSize int64   `json:"compressed_size"`
	WastedBytes    int64   `json:"wasted_bytes"`
	WastedPercent  float64 `json:"wasted_percent"`
	// UserWastedPercent is the waste user layers caused, relative to
	// the bytes they store.
	UserWastedPercent float64 `json:"user_wasted_percent"`
	Efficiency        float64 `json:"efficiency"`
	// BaseLayers is how many bottom layers belong to the base image.
	BaseLayers int          `json:"base_layers"`
	Layers     []ImageLayer `json:"layers"`
	Findings   []Finding    `json:"findings"`
	// FromCache is true when the analysis came from the result cache.
	FromCache bool `json:"from_cache"`
	// Gate is the gate's verdict on the image, when a gate is set.
	Gate *gate.Result `json:"gate,omitempty"`
}

// ImageLayer is one layer of an image.
type ImageLayer struct {
	Digest         string `json:"digest"`
	Size           int64  `json:"size"`
	CompressedSize int64  `json:"compressed_size"`
	WastedBytes    int64  `json:"wasted_bytes"`
	CreatedBy      string `json:"created_by"`
	Base           bool   `json:"base"`
}

// Finding is one of strata image's findings on an image.
type Finding struct {
	Rule     string         `json:"rule"`
	Name     string         `json:"name"`
	Severity vocab.Severity `json:"severity"`
	Category vocab.Category `json:"category"`
	Message  string         `json:"message"`
	Path     string         `json:"path,omitempty"`
	Layer    int            `json:"layer,omitempty"`
	Bytes    int64          `json:"bytes,omitempty"`
}

// LayerUse is one distinct layer and the images that use it.
type LayerUse struct {
	Digest         string `json:"digest"`
	Size           int64  `json:"size"`
	CompressedSize int64  `json:"compressed_size"`
	CreatedBy      string `json:"created_by"`
	// Images counts the images holding the layer, Repositories the
	// repositories they are in.
	Images       int `json:"images"`
	Repositories int `json:"repositories"`
	// Base is true when the layer is a base layer in every image that
	// holds it.
	Base bool `json:"base"`
}

// Failure is an image, a tag or a repository that could not be read.
type Failure struct {
	// Ref names what failed: a repository, repository:tag or
	// repository@digest.
	Ref   string `json:"ref"`
	Error string `json:"error"`
	// Attempts counts the tries (retries after 429 and 5xx answers).
	Attempts int `json:"attempts"`
}

// Stats count the audit's work.
type Stats struct {
	Repositories int `json:"repositories"`
	Tags         int `json:"tags"`
	Images       int `json:"images"`
	// ImagesFromCache were summarised from the result cache.
	ImagesFromCache int `json:"images_from_cache"`
	// DistinctLayers counts the distinct layer digests of the images;
	// LayersRead the layer blobs fetched and read (each distinct digest
	// at most once); LayersFromCache the layers of images folded from a
	// reading made before (by another image of this run, or by an earlier
	// run, from the layer cache) instead of fetched.
	DistinctLayers  int `json:"distinct_layers"`
	LayersRead      int `json:"layers_read"`
	LayersFromCache int `json:"layers_from_cache"`
	// BytesRead is the layer blob bytes fetched.
	BytesRead int64 `json:"bytes_read"`
	// StoredBytes is what the registry stores for the images' layers
	// (each distinct layer once, compressed); UnsharedBytes what it would
	// store if no two images shared a layer.
	StoredBytes   int64 `json:"stored_bytes"`
	UnsharedBytes int64 `json:"unshared_bytes"`
	// Retries counts the images read again after an error that the
	// requests' own retries (of 429 and 5xx answers, with backoff) did
	// not cure.
	Retries int `json:"retries"`
	// GateFailed counts the images the gate failed.
	GateFailed int `json:"gate_failed"`
}

// Ref names the image: repository:tag (the first tag) or
// repository@digest, with the platform when it came from an index.
func (i *Image) Ref() string {
	ref := i.Repository + "@" + i.Digest
	if len(i.Tags) > 0 {
		ref = i.Repository + ":" + i.Tags[0]
	}
	if i.IndexDigest != "" {
		ref += " (" + i.Platform + ")"
	}
	return ref
}

// Pinned names the image by digest: repository@digest.
func (i *Image) Pinned() string { return i.Repository + "@" + i.Digest }

// Count returns the number of findings of each severity, highest first
// (error, warning, info, style).
func (i *Image) Count() [4]int {
	var c [4]int
	for _, f := range i.Findings {
		switch f.Severity {
		case vocab.Error:
			c[0]++
		case vocab.Warning:
			c[1]++
		case vocab.Info:
			c[2]++
		case vocab.Style:
			c[3]++
		}
	}
	return c
}

// summarize makes the image's summary from its analysis.
func summarize(r *image.Result) Image {
	img := Image{
		Platform: r.Image.Platform, Size: r.Totals.Size, CompressedSize: r.Totals.CompressedSize,
		WastedBytes: r.Waste.Total, WastedPercent: r.Waste.Percent, UserWastedPercent: r.Waste.UserPercent,
		Efficiency: r.Totals.Efficiency, BaseLayers: r.Base.Layers,
		Layers: make([]ImageLayer, 0, len(r.Layers)), Findings: make([]Finding, 0, len(r.Findings)),
	}
	for _, l := range r.Layers {
		img.Layers = append(img.Layers, ImageLayer{
			Digest: l.Digest, Size: l.Size, CompressedSize: l.CompressedSize, WastedBytes: l.WastedBytes,
			CreatedBy: image.ShortCommand(l.CreatedBy, 120), Base: l.Base,
		})
	}
	for _, f := range r.Findings {
		img.Findings = append(img.Findings, Finding{
			Rule: f.Rule, Name: f.Name, Severity: f.Severity, Category: f.Category,
			Message: f.Message, Path: f.Path, Layer: f.Layer, Bytes: f.Bytes,
		})
	}
	return img
}

// Evaluate runs the gate on the image's figures, as strata image runs it
// on a result.
func (i *Image) Evaluate(g gate.Gate) gate.Result {
	r := &image.Result{
		Totals: image.Totals{Size: i.Size, Efficiency: i.Efficiency},
		Waste:  image.Waste{Total: i.WastedBytes, Percent: i.WastedPercent, UserPercent: i.UserWastedPercent},
	}
	for _, f := range i.Findings {
		r.Findings = append(r.Findings, image.Finding{Rule: f.Rule, Severity: f.Severity})
	}
	return g.Evaluate(r)
}

// Orders of Rank.
const (
	ByWasted   = "wasted"
	BySize     = "size"
	ByFindings = "findings"
)

// Orders lists the orders Rank knows.
func Orders() []string { return []string{ByWasted, BySize, ByFindings} }

// Rank orders the report's images: by wasted bytes, by size, or by
// findings (errors first, then warnings, info and style), the largest
// first; ties go by wasted bytes, then size, then reference.
func (r *Report) Rank(by string) error {
	keys := map[string]func(a, b *Image) int{
		ByWasted: func(a, b *Image) int { return cmp64(a.WastedBytes, b.WastedBytes) },
		BySize:   func(a, b *Image) int { return cmp64(a.Size, b.Size) },
		ByFindings: func(a, b *Image) int {
			ca, cb := a.Count(), b.Count()
			for k := range ca {
				if c := ca[k] - cb[k]; c != 0 {
					return c
				}
			}
			return 0
		},
	}
	first, ok := keys[by]
	if !ok {
		return vocab.Inputf("unknown order %q (want %s)", by, strings.Join(Orders(), ", "))
	}
	sort.SliceStable(r.Images, func(x, y int) bool {
		a, b := &r.Images[x], &r.Images[y]
		for _, key := range []func(a, b *Image) int{first, keys[ByWasted], keys[BySize]} {
			if c := key(a, b); c != 0 {
				return c > 0
			}
		}
		return a.Ref() < b.Ref()
	})
	r.RankedBy = by
	return nil
}

func cmp64(a, b int64) int {
	switch {
	case a > b:
		return 1
	case a < b:
		return -1
	}
	return 0
}

// ApplyGate evaluates the gate on every image and counts the failures.
func (r *Report) ApplyGate(g gate.Gate) {
	r.Stats.GateFailed = 0
	if g.Empty() {
		return
	}
	for i := range r.Images {
		res := r.Images[i].Evaluate(g)
		r.Images[i].Gate = &res
		if !res.Pass {
			r.Stats.GateFailed++
		}
	}
}

// layerUses aggregates the images' layers, the most shared first.
func layerUses(images []Image) []LayerUse {
	type acc struct {
		LayerUse
		repos   map[string]bool
		nonBase bool
	}
	byDigest := map[string]*acc{}
	var order []string
	for _, img := range images {
		seen := map[string]bool{}
		for _, l := range img.Layers {
			if seen[l.Digest] {
				continue
			}
			seen[l.Digest] = true
			a := byDigest[l.Digest]
			if a == nil {
				a = &acc{LayerUse: LayerUse{Digest: l.Digest, Size: l.Size, CompressedSize: l.CompressedSize, CreatedBy: l.CreatedBy}, repos: map[string]bool{}}
				byDigest[l.Digest] = a
				order = append(order, l.Digest)
			}
			a.Images++
			a.repos[img.Repository] = true
			a.nonBase = a.nonBase || !l.Base
		}
	}
	out := make([]LayerUse, 0, len(order))
	for _, d := range order {
		a := byDigest[d]
		a.Repositories = len(a.repos)
		a.Base = !a.nonBase
		out = append(out, a.LayerUse)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Images != out[j].Images {
			return out[i].Images > out[j].Images
		}
		if out[i].CompressedSize != out[j].CompressedSize {
			return out[i].CompressedSize > out[j].CompressedSize
		}
		return out[i].Digest < out[j].Digest
	})
	return out
}

// String describes the failure for the terminal.
func (f Failure) String() string {
	s := fmt.Sprintf("%s: %s", f.Ref, f.Error)
	if f.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", f.Attempts)
	}
	return s
}
