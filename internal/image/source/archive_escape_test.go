package source_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source"
	"github.com/stratatools/strata/internal/vocab"
)

// archiveWithLink writes the sample image as a docker save archive whose
// layer 2 is a symbolic link (or a hard link) to target.
// extra members, if any, come after the layers.
func archiveWithLink(t *testing.T, target string, hard bool, extra ...[2][]byte) []byte {
	t.Helper()
	img := imagetest.Sample(t)
	layers, _ := imagetest.UncompressedLayers(t, img)
	var buf bytes.Buffer
	a := imagetest.NewArchiveWriter(t, &buf)
	var names []string
	for i, b := range layers {
		name := fmt.Sprintf("l%d/layer.tar", i)
		switch {
		case i == 1 && hard:
			a.Hardlink(name, target)
		case i == 1:
			a.Symlink(name, target)
		default:
			a.File(name, b)
		}
		names = append(names, name)
	}
	for _, e := range extra {
		a.File(string(e[0]), e[1])
	}
	raw, err := img.RawConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	a.File("config.json", raw)
	man, _ := json.Marshal([]imagetest.DockerManifestEntry{{Config: "config.json", RepoTags: []string{"app:1"}, Layers: names}})
	a.File("manifest.json", man)
	a.Close()
	return buf.Bytes()
}

// TestArchiveLinkLeavesTheArchive gives a docker save archive a layer that
// is a link out of the archive (absolute, climbing above its root, as a
// symbolic and as a hard link): read by path and as a stream, the link is
// refused as bad input naming it, never resolved to a member of the same
// name inside the archive. A link that stays inside is followed.
func TestArchiveLinkLeavesTheArchive(t *testing.T) {
	for _, c := range []struct {
		target string
		hard   bool
	}{
		{"/etc/passwd", false},
		{"../../../../etc/passwd", false},
		{"../l0/../../l0/layer.tar", false},
		{"/l0/layer.tar", true},
		{"../l0/layer.tar", true},
	} {
		raw := archiveWithLink(t, c.target, c.hard)
		for _, ref := range []string{"docker-archive:" + imagetest.WriteTemp(t, "app.tar", raw), "-"} {
			src, err := source.Open(ref, source.Options{Stdin: bytes.NewReader(raw)})
			if err != nil {
				t.Fatal(err)
			}
			_, err = analyze(src, image.Options{})
			if err == nil || !vocab.IsInput(err) || !strings.Contains(err.Error(), "l1/layer.tar is a link to") || !strings.Contains(err.Error(), "leads out of the archive") {
				t.Errorf("%s, link to %q (hard %v): %v; want bad input naming the link", ref, c.target, c.hard, err)
			}
		}
	}
	// Inside: layer 2 links to a copy of itself elsewhere in the archive.
	img := imagetest.Sample(t)
	layers, _ := imagetest.UncompressedLayers(t, img)
	raw := archiveWithLink(t, "../copy/layer.tar", false, [2][]byte{[]byte("copy/layer.tar"), layers[1]})
	r, err := analyzeRef(t, "docker-archive:"+imagetest.WriteTemp(t, "ok.tar", raw), image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, r)
}
