package image

import (
	"fmt"
	"strings"
)

// configRules read the image configuration.
func configRules() []Rule {
	return []Rule{
		{
			ID: "SI040", Name: "no-healthcheck", Severity: SeverityInfo,
			Category: CategoryPerformance, Checklist: "performance.healthcheck",
			Doc: RuleDoc{
				Summary: "The image has no HEALTHCHECK",
				Why: "Without a HEALTHCHECK the engine only knows whether the process runs, not whether it " +
					"serves; orchestrators then route traffic to hung containers.",
			},
			Check: checkHealthcheck,
		},
	}
}

func checkHealthcheck(r *Result) []Hit {
	if r.Config == nil {
		return nil
	}
	hc := r.Config.Config.Healthcheck
	if hc != nil && len(hc.Test) > 0 && !strings.EqualFold(hc.Test[0], "NONE") {
		return nil
	}
	msg := "no HEALTHCHECK is defined"
	if hc != nil && len(hc.Test) > 0 {
		msg = "the HEALTHCHECK is disabled (NONE)"
	}
	return []Hit{{Message: msg + "; add one that probes the service", Anchor: "HEALTHCHECK"}}
}

// sizeRules point at the largest files and directories.
func sizeRules() []Rule {
	return []Rule{
		{
			ID: "SI050", Name: "largest-files", Severity: SeverityInfo,
			Category: CategorySize, Checklist: "size.minimal_packages",
			Doc: RuleDoc{
				Summary: "One of the largest files of the image",
				Why:     "The largest files are where a smaller image starts: check that each is needed at run time.",
			},
			Check: checkLargestFiles,
		},
		{
			ID: "SI051", Name: "largest-directories", Severity: SeverityInfo,
			Category: CategorySize, Checklist: "size.minimal_packages",
			Doc: RuleDoc{
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

func checkLargestFiles(r *Result) []Hit {
	var hits []Hit
	for _, f := range r.Largest.Files {
		if f.Bytes < largeFileMin || len(hits) == largestShown {
			break
		}
		hits = append(hits, Hit{
			Message: fmt.Sprintf("/%s is %s, from %s", f.Path, FormatSize(f.Bytes), r.layerName(f.Layer)),
			Path:    f.Path, Layer: f.Layer, Bytes: f.Bytes,
		})
	}
	return hits
}

func checkLargestDirs(r *Result) []Hit {
	var hits []Hit
	for _, d := range r.Largest.Dirs {
		if d.Bytes < largeDirMin || len(hits) == largestShown {
			break
		}
		hits = append(hits, Hit{
			Message: fmt.Sprintf("/%s holds %s in %s files", d.Path, FormatSize(d.Bytes), grouped(d.Files)),
			Path:    d.Path, Bytes: d.Bytes,
		})
	}
	return hits
}
