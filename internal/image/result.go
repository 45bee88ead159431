package image

import (
	"fmt"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/stratatools/strata/internal/vocab"
)

// Result is everything one pass over an image found. Layer numbers in it
// are 1-based (layer 1 is the bottom layer); 0 means "no layer".
type Result struct {
	Image    ImageInfo      `json:"image"`
	Layers   []Layer        `json:"layers"`
	History  []HistoryEntry `json:"history"`
	Base     BaseInfo       `json:"base"`
	Totals   Totals         `json:"totals"`
	Waste    Waste          `json:"waste"`
	Findings []Finding      `json:"findings"`
	Largest  Largest        `json:"largest"`
	// Dockerfile is the mapping of layers to instructions, with --dockerfile.
	Dockerfile *Mapping `json:"dockerfile,omitempty"`
	Notes      []string `json:"notes"`
	Timing     Timing   `json:"timing"`
	// Top is how many entries the lists of the result keep (the largest
	// paths, the copies of a duplicate group; Options.Top), and the
	// reports show.
	Top int `json:"top"`

	// Files is the final filesystem, depth first, parents before children.
	Files []File `json:"-"`
	// Captured are the files the checks asked to see, from every layer.
	Captured []Captured `json:"-"`
	// Config is the image configuration.
	Config *v1.ConfigFile `json:"-"`
	// Changes lists, per layer (index 0 is layer 1), the paths the layer
	// added, modified and removed, in the order of its tar stream
	// (removals first); set with Options.Changes.
	Changes [][]Change `json:"-"`

	// hashes is the Shared the content hashes were made with, if any.
	hashes *Shared
}

// UnpackedSize is the image's size as the Docker Engine reports it once
// the layers are unpacked: every layer's regular files and symbolic links
// (their targets), a file linked twice counted once, directories and
// whiteouts not at all.
func (r *Result) UnpackedSize() int64 {
	var n int64
	for _, l := range r.Layers {
		n += l.AddedBytes + l.LinkBytes
	}
	return n
}

// SameHashes reports whether r's and o's content hashes can be compared:
// both analyses hashed with the same Options.Shared.
func (r *Result) SameHashes(o *Result) bool {
	return r.hashes != nil && r.hashes == o.hashes
}

// ImageInfo identifies the image read.
type ImageInfo struct {
	Source       string    `json:"source"`
	Transport    string    `json:"transport"`
	Ref          string    `json:"ref"`
	Digest       string    `json:"digest,omitempty"`
	ID           string    `json:"id,omitempty"`
	MediaType    string    `json:"media_type,omitempty"`
	Tags         []string  `json:"tags,omitempty"`
	Platform     string    `json:"platform"`
	Created      time.Time `json:"created"`
	User         string    `json:"user"`
	Entrypoint   []string  `json:"entrypoint,omitempty"`
	Cmd          []string  `json:"cmd,omitempty"`
	WorkingDir   string    `json:"working_dir,omitempty"`
	Healthcheck  []string  `json:"healthcheck,omitempty"`
	ExposedPorts []string  `json:"exposed_ports,omitempty"`
}

// Layer is one layer's figures.
type Layer struct {
	Index       int    `json:"index"`
	Digest      string `json:"digest,omitempty"`
	DiffID      string `json:"diff_id,omitempty"`
	MediaType   string `json:"media_type,omitempty"`
	Compression string `json:"compression"`
	// CompressedSize is the blob's size as stored (equal to Size for an
	// uncompressed layer).
	CompressedSize int64 `json:"compressed_size"`
	// Size is the uncompressed tar stream's size.
	Size int64 `json:"size"`
	// Files counts the layer's entries other than whiteouts.
	Files     int `json:"files"`
	Whiteouts int `json:"whiteouts"`
	// AddedBytes is the content of the regular files the layer stores.
	AddedBytes int64 `json:"added_bytes"`
	// LinkBytes is the length of the symbolic links' targets, which a
	// filesystem stores as their content.
	LinkBytes int64 `json:"-"`
	// OverwrittenBytes and DeletedBytes are lower layers' bytes this layer
	// hid by replacing or removing them.
	OverwrittenBytes int64 `json:"overwritten_bytes"`
	DeletedBytes     int64 `json:"deleted_bytes"`
	// WastedBytes is this layer's bytes that later layers hid.
	WastedBytes int64 `json:"wasted_bytes"`
	// History is the 1-based index of the history entry that made the
	// layer, 0 when the history does not say.
	History   int    `json:"history"`
	CreatedBy string `json:"created_by"`
	Comment   string `json:"comment,omitempty"`
	// Base marks layers of the base image.
	Base bool `json:"base"`
	// Line and EndLine locate the Dockerfile instruction, when mapped.
	Line    int `json:"line,omitempty"`
	EndLine int `json:"end_line,omitempty"`
}

// HistoryEntry is one step of the image's history; empty ones made no
// layer.
type HistoryEntry struct {
	Index      int       `json:"index"`
	Created    time.Time `json:"created"`
	CreatedBy  string    `json:"created_by"`
	Comment    string    `json:"comment,omitempty"`
	EmptyLayer bool      `json:"empty_layer"`
	// Layer is the 1-based layer the step made, 0 for an empty step.
	Layer int  `json:"layer"`
	Base  bool `json:"base"`
	// Line and EndLine locate the Dockerfile instruction, when mapped.
	Line    int `json:"line,omitempty"`
	EndLine int `json:"end_line,omitempty"`
}

// BaseInfo says which layers belong to the base image, and how that was
// decided.
type BaseInfo struct {
	Layers int `json:"layers"`
	// Source is "flag" (--base), "dockerfile", "history" or "none".
	Source string `json:"source"`
	Ref    string `json:"ref,omitempty"`
	Note   string `json:"note,omitempty"`
}

// Totals are the image-wide figures.
type Totals struct {
	Layers int `json:"layers"`
	// Size is the sum of the layers' uncompressed sizes.
	Size           int64 `json:"size"`
	CompressedSize int64 `json:"compressed_size"`
	// StoredBytes is the content of regular files in all layers.
	StoredBytes int64 `json:"stored_bytes"`
	// VisibleBytes is the content of regular files in the final
	// filesystem.
	VisibleBytes int64 `json:"visible_bytes"`
	Files        int   `json:"files"`
	Dirs         int   `json:"dirs"`
	// Efficiency is VisibleBytes / (StoredBytes - ignored hidden bytes).
	Efficiency      float64 `json:"efficiency"`
	UserStoredBytes int64   `json:"user_stored_bytes"`
	UserSize        int64   `json:"user_size"`
}

// Largest lists the largest paths of the final filesystem.
type Largest struct {
	Files []PathSize `json:"files"`
	Dirs  []PathSize `json:"dirs"`
}

// PathSize is a path with its size.
type PathSize struct {
	Path  string `json:"path"`
	Bytes int64  `json:"bytes"`
	Files int    `json:"files,omitempty"`
	Layer int    `json:"layer,omitempty"`
}

// Timing records where the time went, per layer.
type Timing struct {
	TotalMS float64 `json:"total_ms"`
	// WalkMS is the time reading and folding layers; the rest went to
	// building the final listing, duplicates and checks.
	WalkMS float64       `json:"walk_ms"`
	Layers []LayerTiming `json:"layers"`
}

// LayerTiming is the time spent reading and applying one layer.
type LayerTiming struct {
	Layer   int     `json:"layer"`
	ReadMS  float64 `json:"read_ms"`
	ApplyMS float64 `json:"apply_ms"`
}

// File is one path of the final filesystem. (The fields are in the order
// that packs them into 80 bytes: an image can have millions of them.)
type File struct {
	Path string
	Link string
	// Size is the content size of a regular file, or the total content
	// below a directory.
	Size int64
	// Files counts the regular files below a directory.
	Files int
	// Layer is the 1-based layer that created the path's current content.
	Layer  int
	hash   uint64
	Mode   uint32
	UID    uint32
	GID    uint32
	Kind   Kind
	hashed bool
}

// ContentHash returns a regular file's content hash, when its content was
// read. Hashes are comparable between results for which SameHashes holds
// (and within one result); they are not digests to show anybody.
func (f *File) ContentHash() (uint64, bool) { return f.hash, f.hashed }

// Finding is one problem found in the image.
type Finding struct {
	Rule      string         `json:"rule"`
	Name      string         `json:"name"`
	Severity  vocab.Severity `json:"severity"`
	Category  vocab.Category `json:"category"`
	Checklist string         `json:"checklist"`
	Message   string         `json:"message"`
	Path      string         `json:"path,omitempty"`
	// Layer is the 1-based layer responsible, 0 when none is.
	Layer int   `json:"layer,omitempty"`
	Bytes int64 `json:"bytes,omitempty"`
	// Line and EndLine locate the Dockerfile instruction, when mapped.
	Line    int `json:"line,omitempty"`
	EndLine int `json:"end_line,omitempty"`
	// Anchor names the Dockerfile keyword (e.g. "USER") to place a
	// finding with no layer on; AnchorText narrows it to an instruction
	// whose text contains it. Without either, such a finding goes on the
	// FROM line.
	Anchor     string `json:"-"`
	AnchorText string `json:"-"`
}

// CheckBalance reports an error when the accounting identity does not
// hold: every byte stored in a layer is visible in the final filesystem
// or hidden by a later layer, exactly once (see Waste), and the per-layer
// wasted bytes add up to the hidden ones. Results of Analyze always
// balance; the tests and fuzz targets hold it to that.
func (r *Result) CheckBalance() error {
	if got := r.Totals.VisibleBytes + r.Waste.Overwritten + r.Waste.Deleted + r.Waste.Ignored; got != r.Totals.StoredBytes {
		return fmt.Errorf("stored %d != visible %d + overwritten %d + deleted %d + ignored %d",
			r.Totals.StoredBytes, r.Totals.VisibleBytes, r.Waste.Overwritten, r.Waste.Deleted, r.Waste.Ignored)
	}
	var perLayer int64
	for _, l := range r.Layers {
		perLayer += l.WastedBytes
	}
	if perLayer != r.Waste.Overwritten+r.Waste.Deleted {
		return fmt.Errorf("per-layer wasted %d != overwritten+deleted %d", perLayer, r.Waste.Overwritten+r.Waste.Deleted)
	}
	return nil
}
