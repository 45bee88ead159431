package rules

import "github.com/stratatools/strata/internal/dockerfile"

// Checklist items: stable keys used in output. Together they are strata's
// optimization checklist for a Dockerfile: a light, pinned base image;
// RUNs chained into few layers; dependency manifests installed before the
// source is copied; a .dockerignore; package caches removed, in the same
// layer that made them; only the packages needed; build tools left in a
// build stage; a non-root user, no secrets and a minimal runtime;
// exec-form commands under an init, with a HEALTHCHECK; and BuildKit
// cache mounts for package downloads.
const (
	BaseImageLightweight   = "base_image.lightweight"
	BaseImagePinned        = "base_image.pinned"
	LayersMinimalRun       = "layers.minimal_run"
	LayersCacheDeps        = "layers.cache_dependencies"
	ContextDockerignore    = "context.dockerignore"
	SizeCleanCaches        = "size.clean_caches"
	SizeSameLayerCleanup   = "size.same_layer_cleanup"
	SizeMinimalPackages    = "size.minimal_packages"
	SizeMultiStage         = "size.multi_stage"
	SecurityNonRoot        = "security.non_root"
	SecurityNoSecrets      = "security.no_secrets"
	SecurityMinimalRuntime = "security.minimal_runtime"
	PerformanceExecForm    = "performance.exec_form"
	PerformanceInitSystem  = "performance.init_system"
	PerformanceHealthcheck = "performance.healthcheck"
	BuildCacheMounts       = "build.cache_mounts"
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
	return []ChecklistItem{
		{BaseImageLightweight, "light base image (slim, alpine, distroless, scratch)", always},
		{BaseImagePinned, "base image pinned to a version", always},
		{LayersMinimalRun, "RUN commands chained into few layers", has("run")},
		{LayersCacheDeps, "dependency manifests copied and installed before the source", copiesContext},
		{ContextDockerignore, ".dockerignore keeps the build context small", copiesContext},
		{SizeCleanCaches, "package caches removed", has("run")},
		{SizeSameLayerCleanup, "clean-up in the same layer that made the files", has("run")},
		{SizeMinimalPackages, "only the packages needed", has("run")},
		{SizeMultiStage, "build tools left behind in a build stage", has("run")},
		{SecurityNonRoot, "runs as a non-root user", always},
		{SecurityNoSecrets, "no secrets in the image", always},
		{SecurityMinimalRuntime, "minimal runtime (no needless shells and package managers)", always},
		{PerformanceExecForm, "exec-form CMD and ENTRYPOINT", has("cmd", "entrypoint")},
		{PerformanceInitSystem, "an init process reaps zombies and forwards signals", has("cmd", "entrypoint")},
		{PerformanceHealthcheck, "HEALTHCHECK for a served port", finalExposes},
		{BuildCacheMounts, "BuildKit cache mounts for package downloads", has("run")},
	}
}

// IsChecklistKey reports whether key names a checklist item.
func IsChecklistKey(key string) bool {
	for _, it := range Checklist() {
		if it.Key == key {
			return true
		}
	}
	return false
}
