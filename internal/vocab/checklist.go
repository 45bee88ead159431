package vocab

// Checklist item keys: the stable names of strata's optimization checklist
// in every output. Together they are what an optimized image gets right: a
// light, pinned base image; RUNs chained into few layers; dependency
// manifests installed before the source is copied; a .dockerignore;
// package caches removed, in the same layer that made them; only the
// packages needed; build tools left in a build stage; a non-root user, no
// secrets and a minimal runtime; exec-form commands under an init, with a
// HEALTHCHECK; and BuildKit cache mounts for package downloads. Dockerfile
// rules and image checks both report against these keys.
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

// ChecklistEntry is one checklist item: its key and its title.
type ChecklistEntry struct {
	Key   string
	Title string
}

// ChecklistEntries returns the checklist's items in display order.
func ChecklistEntries() []ChecklistEntry {
	return []ChecklistEntry{
		{BaseImageLightweight, "light base image (slim, alpine, distroless, scratch)"},
		{BaseImagePinned, "base image pinned to a version"},
		{LayersMinimalRun, "RUN commands chained into few layers"},
		{LayersCacheDeps, "dependency manifests copied and installed before the source"},
		{ContextDockerignore, ".dockerignore keeps the build context small"},
		{SizeCleanCaches, "package caches removed"},
		{SizeSameLayerCleanup, "clean-up in the same layer that made the files"},
		{SizeMinimalPackages, "only the packages needed"},
		{SizeMultiStage, "build tools left behind in a build stage"},
		{SecurityNonRoot, "runs as a non-root user"},
		{SecurityNoSecrets, "no secrets in the image"},
		{SecurityMinimalRuntime, "minimal runtime (no needless shells and package managers)"},
		{PerformanceExecForm, "exec-form CMD and ENTRYPOINT"},
		{PerformanceInitSystem, "an init process reaps zombies and forwards signals"},
		{PerformanceHealthcheck, "HEALTHCHECK for a served port"},
		{BuildCacheMounts, "BuildKit cache mounts for package downloads"},
	}
}

// IsChecklistKey reports whether key names a checklist item.
func IsChecklistKey(key string) bool {
	for _, e := range ChecklistEntries() {
		if e.Key == key {
			return true
		}
	}
	return false
}
