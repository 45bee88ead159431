package image_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source/archive"
	"github.com/stratatools/strata/internal/image/source/layout"
)

// TestSharedSecondArrivalFindsEveryLayer holds the second analysis of an
// image read from two sources (an old docker save archive and an OCI
// layout) right after it counts as arrived, which lets the first one past
// the barrier, until the first one has read, folded and released every
// layer. The second must still pass over every layer: its layers were
// registered before it arrived, so the first one decoded them for both.
func TestSharedSecondArrivalFindsEveryLayer(t *testing.T) {
	img, _ := sharedPair(t)
	sources := map[string]func() image.Source{
		"archive": func() image.Source {
			return archive.New(imagetest.WriteTemp(t, "a.tar", imagetest.DockerSaveOld(t, img, "a:1")), archive.Options{})
		},
		"layout": func() image.Source { return layout.New(imagetest.OCILayout(t, img, nil), layout.Options{}) },
	}
	for _, order := range [][2]string{{"archive", "layout"}, {"layout", "archive"}} {
		t.Run(order[0]+" first", func(t *testing.T) {
			first, second := sources[order[0]](), sources[order[1]]()
			sh := image.NewShared(2)
			firstArrived, firstDone := make(chan struct{}), make(chan struct{})
			image.AfterArrive(sh, func(n int) {
				switch n {
				case 1:
					close(firstArrived)
				case 2:
					select {
					case <-firstDone:
					case <-time.After(2 * time.Minute):
						t.Error("the first analysis did not finish while the second was held after arriving")
					}
				}
			})
			var res [2]*image.Result
			var errs [2]error
			go func() {
				defer close(firstDone)
				res[0], errs[0] = image.Analyze(context.Background(), first, image.Options{Shared: sh})
			}()
			<-firstArrived
			res[1], errs[1] = image.Analyze(context.Background(), second, image.Options{Shared: sh})
			<-firstDone
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if got, want := sh.Reused(), len(res[0].Layers); got != want {
				t.Errorf("%d layer blobs passed over, want %d (every layer decoded once for both)", got, want)
			}
			if !reflect.DeepEqual(paths(res[0]), paths(res[1])) || res[0].Totals.Size != res[1].Totals.Size {
				t.Errorf("the two reads of one image differ:\n%q\n%q", paths(res[0]), paths(res[1]))
			}
			for _, r := range res {
				if err := r.CheckBalance(); err != nil {
					t.Error(err)
				}
			}
		})
	}
}
