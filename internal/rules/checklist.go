package rules

import (
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// ChecklistItem describes one checklist item.
type ChecklistItem struct {
	Key   string
	Title string
	// Applies reports whether the item means anything for the file.
	Applies func(f *dockerfile.File, bc *BuildContext) bool
}

// Checklist returns the items in display order.
func Checklist() []ChecklistItem {
	always := func(*dockerfile.File, *BuildContext) bool { return true }
	has := func(cmds ...string) func(*dockerfile.File, *BuildContext) bool {
		return func(f *dockerfile.File, _ *BuildContext) bool {
			for _, in := range f.Instructions {
				for _, c := range cmds {
					if in.Cmd == c {
						return true
					}
				}
			}
			return false
		}
	}
	copiesContext := func(f *dockerfile.File, _ *BuildContext) bool {
		for _, in := range f.Instructions {
			if in.Cmd == "copy" || in.Cmd == "add" {
				if _, from := in.Flag("from"); !from {
					return true
				}
			}
		}
		return false
	}
	finalExposes := func(f *dockerfile.File, _ *BuildContext) bool {
		st := f.FinalStage()
		if st == nil {
			return false
		}
		for _, in := range st.Instructions {
			if in.Cmd == "expose" {
				return true
			}
		}
		return false
	}
	applies := map[string]func(*dockerfile.File, *BuildContext) bool{
		vocab.LayersMinimalRun:       has("run"),
		vocab.LayersCacheDeps:        copiesContext,
		vocab.ContextDockerignore:    copiesContext,
		vocab.SizeCleanCaches:        has("run"),
		vocab.SizeSameLayerCleanup:   has("run"),
		vocab.SizeMinimalPackages:    has("run"),
		vocab.SizeMultiStage:         has("run"),
		vocab.PerformanceExecForm:    has("cmd", "entrypoint"),
		vocab.PerformanceInitSystem:  has("cmd", "entrypoint"),
		vocab.PerformanceHealthcheck: finalExposes,
		vocab.BuildCacheMounts:       has("run"),
	}
	var out []ChecklistItem
	for _, e := range vocab.ChecklistEntries() {
		a := applies[e.Key]
		if a == nil {
			a = always
		}
		out = append(out, ChecklistItem{Key: e.Key, Title: e.Title, Applies: a})
	}
	return out
}
