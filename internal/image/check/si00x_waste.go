package check

import (
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/vocab"
)

// wasteMinBytes is the smallest waste worth a finding.
const wasteMinBytes = 1 << 20

// wasteRules report bytes stored in one layer and hidden by a later one,
// and identical contents stored twice.
func wasteRules() []Rule {
	return []Rule{
		{
			ID: "SI001", Name: "deleted-in-later-layer", Severity: vocab.Warning,
			Category: vocab.Size, Checklist: vocab.SizeSameLayerCleanup,
			Doc: Doc{
				Summary: "Files are deleted by a later layer than the one that created them",
				Why: "A layer is immutable: deleting files in a later RUN adds a whiteout and hides them, " +
					"but their bytes stay in the earlier layer and are still pulled and stored. " +
					"Delete them in the same RUN that creates them, or do not create them (cache mounts, multi-stage builds).",
			},
			Check: checkDeletedLater,
		},
		{
			ID: "SI002", Name: "overwritten-in-later-layer", Severity: vocab.Warning,
			Category: vocab.Size, Checklist: vocab.LayersMinimalRun,
			Doc: Doc{
				Summary: "Files are replaced by a later layer",
				Why: "Writing a path again in a later layer stores both versions; only the last is visible. " +
					"Produce each file once, in its final form, in one layer.",
			},
			Check: checkOverwritten,
		},
		{
			ID: "SI003", Name: "permission-copy-up", Severity: vocab.Warning,
			Category: vocab.Size, Checklist: vocab.SizeSameLayerCleanup,
			Doc: Doc{
				Summary: "A layer copies files again only to change their metadata (chmod, chown, touch)",
				Why: "Changing a file's mode, owner or time in a later RUN copies the whole file into the new layer. " +
					"Set ownership and mode when the file is created: COPY --chown/--chmod, or chmod in the same RUN.",
			},
			Check: checkCopyUp,
		},
		{
			ID: "SI004", Name: "duplicate-files", Severity: vocab.Info,
			Category: vocab.Size, Checklist: vocab.SizeMinimalPackages,
			Doc: Doc{
				Summary: "Identical file contents are stored at several paths",
				Why: "The same content at two paths is stored twice. Copy it once and link to it, " +
					"or copy only what the image needs.",
			},
			Check: checkDuplicates,
		},
	}
}

// pairPaths lists up to n recorded paths for a pair of layers.
func pairPaths(r *image.Result, created, hidden, n int, kinds ...string) []string {
	var out []string
	for _, it := range r.Waste.Items {
		if len(out) >= n {
			break
		}
		if it.CreatedBy != created || it.HiddenBy != hidden {
			continue
		}
		for _, k := range kinds {
			if it.Kind == k {
				out = append(out, "/"+it.Path)
				break
			}
		}
	}
	return out
}

func checkDeletedLater(r *image.Result) []Hit {
	var hits []Hit
	for _, p := range r.Waste.Pairs {
		if p.Deleted < wasteMinBytes || !userLayer(r, p.HiddenBy) || p.CreatedBy == p.HiddenBy {
			continue
		}
		paths := pairPaths(r, p.CreatedBy, p.HiddenBy, 3, image.WasteDeleted)
		what := pairWhat(p, paths)
		h := Hit{Path: p.Under, Bytes: p.Deleted}
		if h.Path == "" {
			h.Path = strings.TrimPrefix(firstOr(paths, ""), "/")
		}
		if userLayer(r, p.CreatedBy) {
			h.Layer = p.CreatedBy
			h.Message = fmt.Sprintf("layer %d deleted %s created by layer %d%s; the bytes stay in %s: delete them in the step that creates them",
				p.HiddenBy, vocab.FormatSize(p.Deleted), p.CreatedBy, what, layerName(r, p.CreatedBy))
		} else {
			h.Layer = p.HiddenBy
			h.Message = fmt.Sprintf("%s deleted %s of the base image (layer %d)%s: deleting base files does not make the image smaller; pick a smaller base or copy what you need into a new stage",
				layerName(r, p.HiddenBy), vocab.FormatSize(p.Deleted), p.CreatedBy, what)
		}
		hits = append(hits, h)
	}
	return hits
}

func checkOverwritten(r *image.Result) []Hit {
	var hits []Hit
	for _, p := range r.Waste.Pairs {
		over := p.Overwritten - p.CopyUp
		if over < wasteMinBytes || !userLayer(r, p.HiddenBy) {
			continue
		}
		paths := pairPaths(r, p.CreatedBy, p.HiddenBy, 3, image.WasteOverwritten)
		what := pairWhat(p, paths)
		msg := fmt.Sprintf("%s replaced %s created by layer %d%s: both versions are stored",
			layerName(r, p.HiddenBy), vocab.FormatSize(over), p.CreatedBy, what)
		if p.CreatedBy == p.HiddenBy {
			msg = fmt.Sprintf("%s stores %s twice at the same paths%s", layerName(r, p.HiddenBy), vocab.FormatSize(over), what)
		}
		hits = append(hits, Hit{Message: msg, Path: strings.TrimPrefix(firstOr(paths, ""), "/"), Layer: p.HiddenBy, Bytes: over})
	}
	return hits
}

func checkCopyUp(r *image.Result) []Hit {
	var hits []Hit
	for _, p := range r.Waste.Pairs {
		if p.CopyUp < wasteMinBytes || !userLayer(r, p.HiddenBy) || p.CreatedBy == p.HiddenBy {
			continue
		}
		paths := pairPaths(r, p.CreatedBy, p.HiddenBy, 3, image.WasteCopyUp)
		what := pairWhat(p, paths)
		hits = append(hits, Hit{
			Message: fmt.Sprintf("%s copied %s of files from layer %d again only to change their mode, owner or time%s: set them when the files are created (COPY --chown/--chmod, or in the same RUN)",
				layerName(r, p.HiddenBy), vocab.FormatSize(p.CopyUp), p.CreatedBy, what),
			Path: strings.TrimPrefix(firstOr(paths, ""), "/"), Layer: p.HiddenBy, Bytes: p.CopyUp,
		})
	}
	return hits
}

func checkDuplicates(r *image.Result) []Hit {
	var hits []Hit
	for _, g := range r.Waste.Duplicates {
		if g.Wasted < wasteMinBytes {
			continue
		}
		last := g.Layers[len(g.Layers)-1]
		if !userLayer(r, last) {
			continue
		}
		count := max(g.Count, len(g.Paths))
		var where []string
		for i, p := range g.Paths {
			if i == 4 {
				break
			}
			where = append(where, fmt.Sprintf("/%s (layer %d)", p, g.Layers[i]))
		}
		if shown := len(where); count > shown {
			where = append(where, "and "+vocab.FormatCount(count-shown)+" more")
		}
		hits = append(hits, Hit{
			Message: fmt.Sprintf("%s identical copies of %s: %s; %s wasted", vocab.FormatCount(count), vocab.FormatSize(g.Size), strings.Join(where, ", "), vocab.FormatSize(g.Wasted)),
			Path:    g.Paths[len(g.Paths)-1], Layer: last, Bytes: g.Wasted,
		})
	}
	return hits
}

// pairWhat describes what a pair of layers hid: the paths when there are
// few, else how many files under which directory.
func pairWhat(p image.WastePair, paths []string) string {
	if p.Files > 1 && (len(paths) < p.Files || len(paths) > 2) {
		return fmt.Sprintf(" (%s files under /%s)", vocab.FormatCount(p.Files), p.Under)
	}
	if len(paths) > 0 {
		return " (" + strings.Join(paths, ", ") + ")"
	}
	if p.Files > 0 {
		return " (under /" + p.Under + ")"
	}
	return ""
}

func firstOr(s []string, def string) string {
	if len(s) > 0 {
		return s[0]
	}
	return def
}
