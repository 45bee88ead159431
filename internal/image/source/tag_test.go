package source_test

import (
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/vocab"
)

// TestArchiveTagWithColons picks the image of a docker save archive by a
// tag that holds colons (every name:tag does), as docker-archive:PATH:TAG
// and as a plain PATH:TAG.
func TestArchiveTagWithColons(t *testing.T) {
	for _, tag := range []string{"app:1", "reg.local:5000/team/app:1.2"} {
		p := imagetest.WriteTemp(t, "app.tar", imagetest.DockerSaveOld(t, imagetest.Sample(t), tag))
		for _, ref := range []string{"docker-archive:" + p + ":" + tag, p + ":" + tag} {
			r, err := analyzeRef(t, ref, image.Options{})
			if err != nil {
				t.Fatalf("%s: %v", ref, err)
			}
			checkSample(t, r)
			if len(r.Image.Tags) != 1 || r.Image.Tags[0] != tag {
				t.Fatalf("%s: tags %v", ref, r.Image.Tags)
			}
		}
		_, err := analyzeRef(t, "docker-archive:"+p+":other:2", image.Options{})
		if err == nil || !vocab.IsInput(err) || !strings.Contains(err.Error(), `no image tagged "other:2"`) {
			t.Fatalf("unknown tag: %v", err)
		}
	}
}
