package proof

import (
	"context"
	"math"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	strbuild "github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/estimate/baseimage"
	"github.com/stratatools/strata/internal/estimate/fetch"
	"github.com/stratatools/strata/internal/image/source/daemon"
	"github.com/stratatools/strata/internal/testenv"
)

// TestBaseImageSources reads debian:bookworm from the Engine (its exact
// size, its package database from a save stream) and, pushed to the
// test environment's registry, from the registry (its layers read with
// go-containerregistry): both must agree on what is installed, and the
// registry's size (the layers' files) must be the Engine's within 1%.
func TestBaseImageSources(t *testing.T) {
	cli := testenv.Engine(t)
	if cli == nil {
		return
	}
	testenv.RequireImage(t, testenv.DebianImage)
	reg := testenv.Registry(t)
	if reg == "" {
		return
	}
	ctx := t.Context()
	connect := func(ctx context.Context) (daemon.EngineClient, error) { return strbuild.Connect(ctx) }
	cache := fetch.Cache{Dir: t.TempDir()}
	fromEngine, err := (&baseimage.Resolver{Engine: connect, Cache: cache}).Facts(ctx, testenv.DebianImage, baseimage.Need{Files: true})
	if err != nil {
		t.Fatal(err)
	}
	insp, err := cli.ImageInspect(ctx, testenv.DebianImage)
	if err != nil {
		t.Fatal(err)
	}
	if fromEngine.From != baseimage.FromEngine || fromEngine.Size != insp.Size || !fromEngine.FilesRead || len(fromEngine.Dpkg) < 50 || !fromEngine.OS.IsDebian() || len(fromEngine.AptSources) == 0 {
		t.Fatalf("from the Engine: from %s size %d (inspect %d) files %v, %d packages, os %+v, sources %v",
			fromEngine.From, fromEngine.Size, insp.Size, fromEngine.FilesRead, len(fromEngine.Dpkg), fromEngine.OS, fromEngine.AptSources)
	}
	// The second look is the cache's, by image ID.
	again, err := (&baseimage.Resolver{Engine: connect, Cache: cache}).Facts(ctx, testenv.DebianImage, baseimage.Need{Files: true})
	if err != nil || !again.Cached || len(again.Dpkg) != len(fromEngine.Dpkg) {
		t.Errorf("the Engine's facts again: cached %v, %v", again.Cached, err)
	}

	ref, err := name.NewTag(reg + "/strata-estimate/debian:bookworm")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, testenv.EngineImage(t, cli, testenv.DebianImage), remote.WithContext(ctx)); err != nil {
		t.Fatalf("pushing to the test registry: %v", err)
	}
	fromRegistry, err := (&baseimage.Resolver{Registry: true, Cache: fetch.Cache{Dir: t.TempDir()}}).Facts(ctx, ref.String(), baseimage.Need{Files: true})
	if err != nil {
		t.Fatal(err)
	}
	if fromRegistry.From != baseimage.FromRegistry || !fromRegistry.FilesRead || len(fromRegistry.Dpkg) != len(fromEngine.Dpkg) || fromRegistry.Compressed <= 0 {
		t.Fatalf("from the registry: %+v", fromRegistry)
	}
	if d := math.Abs(float64(fromRegistry.Size-insp.Size)) / float64(insp.Size); d > 0.01 {
		t.Errorf("the registry's layers hold %d bytes of files, the Engine says %d", fromRegistry.Size, insp.Size)
	}
	// Offline, with neither the Engine nor a cache: unknown, and said.
	none, err := (&baseimage.Resolver{Cache: fetch.Cache{Dir: t.TempDir()}}).Facts(ctx, ref.String(), baseimage.Need{Files: true})
	if err != nil || none.From != baseimage.FromNone || none.SizeKnown || len(none.Notes) == 0 {
		t.Errorf("nothing to ask: %+v %v", none, err)
	}
}
