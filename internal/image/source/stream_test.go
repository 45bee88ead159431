package source_test

import (
	"bytes"
	"testing"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source"
)

func TestStreamedArchives(t *testing.T) {
	for name, raw := range map[string][]byte{
		"old": imagetest.DockerSaveOld(t, imagetest.Sample(t), "app:1"),
		"new": imagetest.DockerSaveNew(t, imagetest.Sample(t), "app:1"),
	} {
		t.Run(name, func(t *testing.T) {
			src, err := source.Open("docker-archive:-", source.Options{Stdin: bytes.NewReader(raw)})
			if err != nil {
				t.Fatal(err)
			}
			r, err := analyze(src, image.Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkSample(t, r)
		})
	}
}
