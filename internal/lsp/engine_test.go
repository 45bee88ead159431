package lsp

import (
	"path/filepath"
	"strings"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/testenv"
)

// TestHoverBaseFromEngine hovers on FROM lines with the test Engine
// behind the server: an image it has, one it has not, and a stage.
func TestHoverBaseFromEngine(t *testing.T) {
	testenv.Engine(t)
	c := startServer(t, Options{Inspect: EngineInspector(build.Connect)})
	c.initialize(protocol.ClientCapabilities{})
	uri := fileURI(filepath.Join(t.TempDir(), "Dockerfile"))
	c.open(uri, "FROM "+testenv.BusyboxImage+" AS tools\nFROM strata-test/no-such-image:1 AS app\nFROM tools\nCOPY --from=app /x /x\n")
	c.diagnosticsFor(uri, 1, nil)

	h := c.hover(uri, 0, 7)
	for _, want := range []string{"Local Docker Engine: image `", "linux/amd64", "1 layers", "Runs as `root (no USER set)`", "Command `sh`", "Used by stage 3 (FROM)"} {
		if !strings.Contains(h, want) {
			t.Errorf("hover on FROM busybox lacks %q:\n%s", want, h)
		}
	}
	if h := c.hover(uri, 1, 7); !strings.Contains(h, "no such image") || !strings.Contains(h, "Used by stage 4") && !strings.Contains(h, "(COPY --from)") {
		t.Errorf("hover on a missing image:\n%s", h)
	}
	if h := c.hover(uri, 2, 6); !strings.Contains(h, "Built on stage 1 `tools`") {
		t.Errorf("hover on FROM tools:\n%s", h)
	}
}
