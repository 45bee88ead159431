package buildplan

import (
	"context"
	"encoding/json"

	"github.com/moby/buildkit/client/llb/sourceresolver"
	digest "github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// offlineResolver answers the frontend's questions about base images
// without a registry or daemon: every image has one layer and an empty
// configuration, and its digest is derived from the reference, so the
// same reference always resolves the same way and a changed reference
// changes the plan.
type offlineResolver struct {
	platform ocispecs.Platform
}

func (r offlineResolver) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	cfg, err := json.Marshal(ocispecs.Image{
		Platform: r.platform,
		RootFS:   ocispecs.RootFS{Type: "layers", DiffIDs: []digest.Digest{digest.FromString("layer " + ref)}},
	})
	if err != nil {
		return "", "", nil, err
	}
	return ref, digest.FromString("image " + ref), cfg, nil
}
