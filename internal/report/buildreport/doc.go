// Package buildreport renders what a build will do before it runs:
// strata estimate's expected image size (and a fix's expected effect),
// strata context's account of the build context, and strata cache's
// prediction of the steps a rebuild runs, as text and JSON. The models
// are internal/estimate's, internal/buildcontext's and
// internal/cachepredict's; the shared helpers (palette, JSON writer) are
// internal/report's.
package buildreport
