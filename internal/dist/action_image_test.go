package dist

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/testenv"
)

// TestActionRunsImage runs the action's steps in image mode against the
// test Engine: an image read from the Engine and gated by size, and one
// built from a Dockerfile, whose findings then get SARIF and annotations.
func TestActionRunsImage(t *testing.T) {
	cli := testenv.Engine(t)
	if testing.Short() {
		t.Skip("builds strata")
	}
	_, a := readAction(t)
	r := newRunner(t, a)
	ws := t.TempDir()
	busybox := "docker-daemon:" + testenv.BusyboxImage

	res := r.run(ws, map[string]string{"command": "image", "image": busybox, "max-size": "100MB", "dockerfile": "none"})
	if res.code != 0 || res.outputs["exit-code"] != "0" || res.outputs["sarif-file"] != "" || !strings.Contains(res.log, "no SARIF report") {
		t.Errorf("image under its size limit: exit %d, outputs %v\n%s", res.code, res.outputs, res.log)
	}
	res = r.run(ws, map[string]string{"command": "image", "image": busybox, "max-size": "1KB", "sarif-file": ""})
	if res.code != 1 || res.outputs["exit-code"] != "1" {
		t.Errorf("image over its size limit: exit %d, outputs %v, want 1\n%s", res.code, res.outputs, res.log)
	}
	res = r.run(ws, map[string]string{"command": "image", "image": "docker-daemon:strata-test/no-such-image:1"})
	if res.code != 2 || !strings.Contains(res.log, "no-such-image") {
		t.Errorf("missing image: exit %d, want 2 naming it\n%s", res.code, res.log)
	}
	if res = r.run(ws, map[string]string{"command": "image"}); res.code != 2 || !strings.Contains(res.log, "needs the image input") {
		t.Errorf("no image: exit %d, want 2\n%s", res.code, res.log)
	}

	// An image that deletes in one layer what it wrote in another.
	df := "FROM " + testenv.BusyboxImage + "\nRUN dd if=/dev/zero of=/big bs=1024 count=4096\nRUN rm /big\n"
	writeFile(t, ws, "Dockerfile", df)
	tag := "strata-test/action-image:1"
	testenv.BuildImage(t, cli, "", df, tag)
	res = r.run(ws, map[string]string{"command": "image", "image": "docker-daemon:" + tag, "max-wasted-bytes": "1MB"})
	if res.code != 1 || res.outputs["sarif-file"] != "strata.sarif" {
		t.Fatalf("wasteful image: exit %d, outputs %v, want 1 with SARIF\n%s", res.code, res.outputs, res.log)
	}
	if !strings.Contains(res.log, "::") || !strings.Contains(res.log, "file=Dockerfile") {
		t.Errorf("no annotation on the Dockerfile:\n%s", res.log)
	}
	data, err := os.ReadFile(filepath.Join(ws, "strata.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &sarif); err != nil || sarif.Version != "2.1.0" || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) == 0 {
		t.Errorf("SARIF of the image's findings: %v\n%s", err, data)
	}
}
