package main

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

type layerFile struct {
	name string
	size int
	mode int64
}

// testLayer builds a layer of files with deterministic content; a name
// starting with ".wh." inside a directory is a whiteout.
func testLayer(t *testing.T, files ...layerFile) v1.Layer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		body := make([]byte, f.size)
		for i := range body {
			body[i] = byte(i*7 + len(f.name))
		}
		mode := f.mode
		if mode == 0 {
			mode = 0o644
		}
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Typeflag: tar.TypeReg, Size: int64(f.size), Mode: mode}); err != nil {
			t.Fatal(err)
		}
		tw.Write(body)
	}
	tw.Close()
	raw := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil })
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// wasteArchive writes a docker archive whose second layer deletes the 3 MB
// the first one added, as built from imageDockerfile.
func wasteArchive(t *testing.T, dir string) string {
	t.Helper()
	img, err := mutate.Append(empty.Image,
		mutate.Addendum{Layer: testLayer(t, layerFile{name: "tmp/big", size: 3_000_000}, layerFile{name: "app/run", size: 1000, mode: 0o755}),
			History: v1.History{CreatedBy: "COPY . / # buildkit"}},
		mutate.Addendum{Layer: testLayer(t, layerFile{name: "tmp/.wh.big"}), History: v1.History{CreatedBy: "RUN /bin/sh -c rm /tmp/big # buildkit"}},
	)
	if err != nil {
		t.Fatal(err)
	}
	cf, _ := img.ConfigFile()
	cf = cf.DeepCopy()
	cf.History = append(cf.History, v1.History{CreatedBy: "USER 1000", EmptyLayer: true})
	cf.Config.User = "1000"
	cf.OS, cf.Architecture = "linux", "amd64"
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "waste.tar")
	tag, _ := name.NewTag("waste:1")
	if err := tarball.WriteToFile(p, tag, img); err != nil {
		t.Fatal(err)
	}
	return p
}

const imageDockerfile = "FROM scratch\nCOPY . /\nRUN rm /tmp/big\nUSER 1000\n"

type imageDoc struct {
	Layers []struct {
		Index     int    `json:"index"`
		CreatedBy string `json:"created_by"`
		Line      int    `json:"line"`
	} `json:"layers"`
	Totals struct {
		StoredBytes int64   `json:"stored_bytes"`
		Efficiency  float64 `json:"efficiency"`
	} `json:"totals"`
	Waste struct {
		Deleted int64 `json:"deleted_bytes"`
		Total   int64 `json:"total_bytes"`
	} `json:"waste"`
	Findings []struct {
		Rule string `json:"rule"`
		Line int    `json:"line"`
	} `json:"findings"`
	Gate struct {
		Pass   bool `json:"pass"`
		Checks []struct {
			Name string `json:"name"`
			Pass bool   `json:"pass"`
		} `json:"checks"`
	} `json:"gate"`
	Checklist []struct {
		Item   string `json:"item"`
		Status string `json:"status"`
	} `json:"checklist"`
}

func decodeImageDoc(t *testing.T, s string) imageDoc {
	t.Helper()
	var d imageDoc
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return d
}
