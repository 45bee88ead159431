package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

// Base images: external bases, Docker Hub official repositories,
// distroless images.

// fromDescription names a stage's base for messages, showing the ARG
// expansion when the reference was written with variables.
func fromDescription(st *dockerfile.Stage) string {
	if st.BaseRaw != st.Base.Raw {
		return st.Base.Raw + " (" + st.BaseRaw + " after ARG expansion)"
	}
	return st.Base.Raw
}

// externalBase reports whether the stage is built from an image (not a
// previous stage, not scratch) whose reference could be resolved to a
// well-formed reference. References that ARG expansion leaves malformed
// ("busybox:" from an empty default) are BuildKit's
// InvalidDefaultArgInFrom, not a missing tag.
func externalBase(st *dockerfile.Stage) bool {
	b := st.Base
	if st.BaseStage != nil || b.Scratch || b.Unresolved || b.Repository == "" {
		return false
	}
	return !strings.HasSuffix(b.Raw, ":") && !strings.HasSuffix(b.Raw, "@") &&
		!strings.HasPrefix(b.Raw, ":") && !strings.HasPrefix(b.Raw, "/") && !strings.Contains(b.Raw, "//")
}

// officialRepo returns the repository name of a Docker Hub official image
// ("python" for python:3.12 or docker.io/library/python), or "".
func officialRepo(ref dockerfile.ImageRef) string {
	reg := strings.ToLower(ref.Registry)
	if reg != "" && reg != "docker.io" && reg != "index.docker.io" && reg != "registry-1.docker.io" || strings.Contains(ref.Repository, "/") {
		return ""
	}
	return strings.ToLower(ref.Repository)
}

// isDistroless reports whether ref is a distroless or similar shell-less
// image (Google distroless, Chainguard static, scratch).
func isDistroless(ref dockerfile.ImageRef) bool {
	r := strings.ToLower(ref.Registry + "/" + ref.Repository)
	return ref.Scratch || strings.Contains(r, "distroless") || strings.HasPrefix(r, "cgr.dev/chainguard/static")
}
