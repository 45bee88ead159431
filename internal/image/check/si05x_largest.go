package check

import (
	"fmt"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/vocab"
)

// sizeRules point at the largest files and directories.
func sizeRules() []Rule {
	return []Rule{
		{
			ID: "SI050", Name: "largest-files", Severity: vocab.Info,
			Category: vocab.Size, Checklist: vocab.SizeMinimalPackages,
			Doc: Doc{
				Summary: "One of the largest files of the image",
				Why:     "The largest files are where a smaller image starts: check that each is needed at run time.",
			},
			Check: checkLargestFiles,
		},
		{
			ID: "SI051", Name: "largest-directories", Severity: vocab.Info,
			Category: vocab.Size, Checklist: vocab.SizeMinimalPackages,
			Doc: Doc{
				Summary: "One of the largest directories of the image",
				Why:     "The largest directories show which packages or assets dominate the image.",
			},
			Check: checkLargestDirs,
		},
	}
}

// Thresholds below which a large path is not worth a finding.
const (
	largeFileMin = 10 << 20
	largeDirMin  = 50 << 20
	largestShown = 5
)

func checkLargestFiles(r *image.Result) []Hit {
	var hits []Hit
	for _, f := range r.Largest.Files {
		if f.Bytes < largeFileMin || len(hits) == largestShown {
			break
		}
		hits = append(hits, Hit{
			Message: fmt.Sprintf("/%s is %s, from %s", f.Path, vocab.FormatSize(f.Bytes), layerName(r, f.Layer)),
			Path:    f.Path, Layer: f.Layer, Bytes: f.Bytes,
		})
	}
	return hits
}

func checkLargestDirs(r *image.Result) []Hit {
	var hits []Hit
	for _, d := range r.Largest.Dirs {
		if d.Bytes < largeDirMin || len(hits) == largestShown {
			break
		}
		hits = append(hits, Hit{
			Message: fmt.Sprintf("/%s holds %s in %s files", d.Path, vocab.FormatSize(d.Bytes), vocab.FormatCount(d.Files)),
			Path:    d.Path, Bytes: d.Bytes,
		})
	}
	return hits
}
