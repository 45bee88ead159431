package build_test

import (
	"context"
	"sync"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/errdefs"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/testenv"
)

// TestIntegrationCleanupWhileTheEngineRemoves races Cleanup with another
// removal of the same container, as a cancelled classic build removes its
// step's container while strata cleans up: whichever comes first, Cleanup
// succeeds and the container is gone when it returns.
func TestIntegrationCleanupWhileTheEngineRemoves(t *testing.T) {
	cli, _ := engine(t)
	ctx := context.Background()
	for i := range 5 {
		created, err := cli.ContainerCreate(ctx, &container.Config{Image: testenv.BusyboxImage, Cmd: []string{"sleep", "30"}}, nil, nil, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		id := created.ID
		if err := cli.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
			t.Fatal(err)
		}
		tr := build.NewTracker(cli)
		tr.Container(id)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = cli.ContainerRemove(ctx, id, container.RemoveOptions{Force: true})
		}()
		err = tr.Cleanup()
		wg.Wait()
		if err != nil {
			t.Errorf("round %d: Cleanup = %v", i, err)
		}
		if _, err := cli.ContainerInspect(ctx, id); !errdefs.IsNotFound(err) {
			t.Errorf("round %d: container %s after Cleanup: %v", i, id, err)
			_ = cli.ContainerRemove(ctx, id, container.RemoveOptions{Force: true})
		}
	}
}
