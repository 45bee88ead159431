package source_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source"
	"github.com/stratatools/strata/internal/testenv"
)

// integrationDockerfile does, on top of Debian, exactly what the figures
// checked below expect: 3,000,000 + 5 x 200,000 bytes written by one RUN
// and deleted by the next (a file and a whole directory), a fake apt
// index left behind, a 2,000,000-byte file copied in and then chmod-ed in
// a separate RUN.
const integrationDockerfile = `FROM %s
RUN head -c 3000000 /dev/urandom > /opt/blob \
 && mkdir -p /opt/dir && for i in 1 2 3 4 5; do head -c 200000 /dev/urandom > /opt/dir/f$i; done \
 && mkdir -p /var/lib/apt/lists && head -c 1000000 /dev/urandom > /var/lib/apt/lists/deb.debian.org_Packages
RUN rm /opt/blob && rm -rf /opt/dir
COPY big.bin /app/big.bin
RUN chmod 755 /app/big.bin
USER nobody
`

// Dockerfile lines of the steps above.
const (
	lineFetch = 2
	lineRm    = 5
	lineCopy  = 6
	lineChmod = 7
)

func TestIntegrationEngineImage(t *testing.T) {
	cli := testenv.Engine(t)
	if cli == nil {
		return
	}
	testenv.RequireImage(t, testenv.DebianImage)
	dir := t.TempDir()
	big := imagetest.Blob("big.bin", 2_000_000, 42).Body
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	dockerfile := fmt.Sprintf(integrationDockerfile, testenv.DebianImage)
	dfPath := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(dfPath, []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	tag := fmt.Sprintf("strata-test/image-waste:%d", time.Now().UnixNano())
	t0 := time.Now()
	mark := func(what string) { t.Logf("%-28s %v", what, time.Since(t0).Round(time.Millisecond)); t0 = time.Now() }
	testenv.BuildImage(t, cli, dir, dockerfile, tag)
	mark("build")
	ctx := t.Context()

	// From the Engine, streamed.
	src, err := source.Open(tag, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.String() != "docker-daemon:"+tag {
		t.Fatalf("a tag resolved to %s", src)
	}
	fromDaemon, err := image.Analyze(ctx, src, image.Options{Checks: check.All()})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariant(t, fromDaemon)
	base := fromDaemon.Base.Layers
	if base < 1 || len(fromDaemon.Layers) != base+4 {
		t.Fatalf("base %+v, %d layers; want the base's layers + 4", fromDaemon.Base, len(fromDaemon.Layers))
	}
	checkEngineFigures(t, fromDaemon, base)
	mark("analyze from the engine")

	// From docker save, as a file and as a stream: the same figures.
	rc, err := cli.ImageSave(ctx, []string{tag})
	if err != nil {
		t.Fatal(err)
	}
	saved, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	archive := imagetest.WriteTemp(t, "saved.tar", saved)
	fromFile, err := analyzeRef(t, archive, image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkEngineFigures(t, fromFile, base)
	stream, _ := source.Open("-", source.Options{Stdin: bytes.NewReader(saved)})
	fromStream, err := image.Analyze(ctx, stream, image.Options{Checks: check.All()})
	if err != nil {
		t.Fatal(err)
	}
	mark("save, analyze file and stream")
	for name, r := range map[string]*image.Result{"archive": fromFile, "stream": fromStream} {
		if r.Totals.StoredBytes != fromDaemon.Totals.StoredBytes || r.Waste.Total != fromDaemon.Waste.Total ||
			r.Totals.Size != fromDaemon.Totals.Size || r.Image.ID != fromDaemon.Image.ID {
			t.Fatalf("%s: totals %+v waste %d id %s; daemon: %+v %d %s", name, r.Totals, r.Waste.Total, r.Image.ID,
				fromDaemon.Totals, fromDaemon.Waste.Total, fromDaemon.Image.ID)
		}
	}

	// The base given with --base (its metadata from the engine) agrees
	// with the history.
	bsrc, _ := source.Open(testenv.DebianImage, source.Options{})
	bm, err := bsrc.Meta(ctx)
	if err != nil {
		t.Fatal(err)
	}
	withBase, err := analyzeRef(t, archive, image.Options{Base: image.BaseSpecFromMeta(testenv.DebianImage, bm)})
	if err != nil {
		t.Fatal(err)
	}
	if withBase.Base.Source != "flag" || withBase.Base.Layers != base {
		t.Fatalf("--base: %+v, history said %d", withBase.Base, base)
	}

	// With the Dockerfile, layers and findings land on its lines.
	df, err := image.LoadDockerfile(dfPath)
	if err != nil {
		t.Fatal(err)
	}
	mapped, err := analyzeRef(t, archive, image.Options{Dockerfile: df})
	if err != nil {
		t.Fatal(err)
	}
	if !mapped.Dockerfile.Complete || mapped.Base.Source != "dockerfile" || mapped.Base.Layers != base {
		t.Fatalf("mapping %+v base %+v", mapped.Dockerfile, mapped.Base)
	}
	for i, line := range []int{lineFetch, lineRm, lineCopy, lineChmod} {
		if l := mapped.Layers[base+i]; l.Line != line {
			t.Fatalf("layer %d mapped to line %d, want %d (%s)", l.Index, l.Line, line, l.CreatedBy)
		}
	}
	lines := map[string]int{}
	for _, f := range mapped.Findings {
		if _, ok := lines[f.Rule]; !ok {
			lines[f.Rule] = f.Line
		}
	}
	if lines["SI001"] != lineFetch || lines["SI010"] != lineFetch || lines["SI003"] != lineChmod {
		t.Fatalf("finding lines = %v", lines)
	}
	if _, ok := lines["SI030"]; ok {
		t.Fatal("USER nobody: not root")
	}

	// Pushed to the registry with go-containerregistry and read back.
	reg := testenv.Registry(t)
	ref, err := name.ParseReference(reg + "/strata-test/image-waste:1")
	if err != nil {
		t.Fatal(err)
	}
	mark("--base and --dockerfile")
	if err := remote.Write(ref, uncompressedImage(t, archive), remote.WithContext(ctx)); err != nil {
		t.Fatal(err)
	}
	mark("push")
	rsrc, err := source.Open("docker://"+ref.String(), source.Options{Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	fromRegistry, err := image.Analyze(ctx, rsrc, image.Options{Checks: check.All()})
	if err != nil {
		t.Fatal(err)
	}
	checkEngineFigures(t, fromRegistry, base)
	if fromRegistry.Totals.StoredBytes != fromDaemon.Totals.StoredBytes || fromRegistry.Waste.Total != fromDaemon.Waste.Total {
		t.Fatalf("registry %+v / %+v; daemon %+v / %+v", fromRegistry.Totals, fromRegistry.Waste, fromDaemon.Totals, fromDaemon.Waste)
	}
	mark("analyze from the registry")
}

// uncompressedImage reads a docker save archive as an image whose layers
// are pushed as they are (uncompressed): compressing a Debian root
// filesystem under the race detector takes minutes.
func uncompressedImage(t *testing.T, archive string) v1.Image {
	t.Helper()
	saved, err := tarball.ImageFromPath(archive, nil)
	if err != nil {
		t.Fatal(err)
	}
	layers, _ := imagetest.UncompressedLayers(t, saved)
	img := empty.Image
	for _, b := range layers {
		if img, err = mutate.AppendLayers(img, imagetest.RawLayer{Raw: b}); err != nil {
			t.Fatal(err)
		}
	}
	cf, err := saved.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		t.Fatal(err)
	}
	return img
}

// checkEngineFigures checks what integrationDockerfile did.
func checkEngineFigures(t *testing.T, r *image.Result, base int) {
	t.Helper()
	checkInvariant(t, r)
	fetch, rm, cp, chmod := base+1, base+2, base+3, base+4
	if p := pair(r, fetch, rm); p.Deleted != 4_000_000 || p.Files != 6 {
		t.Fatalf("layer %d deleted %+v of layer %d; want 4,000,000 bytes in 6 files", rm, p, fetch)
	}
	if p := pair(r, cp, chmod); p.CopyUp != 2_000_000 || p.Overwritten != 2_000_000 {
		t.Fatalf("chmod copy-up: %+v", p)
	}
	if got := r.Layers[fetch-1].AddedBytes; got != 5_000_000 {
		t.Fatalf("layer %d added %d bytes, want 5,000,000", fetch, got)
	}
	if got := r.Layers[rm-1].DeletedBytes; got != 4_000_000 {
		t.Fatalf("layer %d deletes %d", rm, got)
	}
	if f, ok := findFile(r, "app/big.bin"); !ok || f.Size != 2_000_000 || f.Mode&0o777 != 0o755 || f.Layer != chmod {
		t.Fatalf("app/big.bin = %+v", f)
	}
	if r.Image.User != "nobody" {
		t.Fatalf("user %q", r.Image.User)
	}
	var sawDir bool
	for _, it := range r.Waste.Items {
		if it.Path == "opt/dir" && it.Kind == image.WasteDeleted && it.Bytes == 1_000_000 && it.Files == 5 && it.CreatedBy == fetch {
			sawDir = true
		}
	}
	if !sawDir {
		t.Fatalf("the deleted directory is not one item: %+v", r.Waste.Items)
	}
	if f := findingsOf(r, "SI010"); len(f) != 1 || f[0].Layer != fetch || f[0].Bytes != 1_000_000 {
		t.Fatalf("SI010 = %+v", f)
	}
}

// A multi-platform index pushed to the real registry, read for each
// platform.
func TestIntegrationRegistryIndex(t *testing.T) {
	reg := testenv.Registry(t)
	if reg == "" {
		return
	}
	ref, err := name.ParseReference(reg + "/strata-test/multi:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(ref, imagetest.MultiArch(t), remote.WithContext(t.Context())); err != nil {
		t.Fatal(err)
	}
	for platform, file := range map[string]string{"linux/amd64": "arch/amd64", "linux/arm64": "arch/arm64"} {
		p := mustPlatform(t, platform)
		src, err := source.Open("registry:"+ref.String(), source.Options{Platform: p})
		if err != nil {
			t.Fatal(err)
		}
		r, err := analyze(src, image.Options{})
		if err != nil {
			t.Fatalf("%s: %v", platform, err)
		}
		if _, ok := findFile(r, file); !ok {
			t.Fatalf("%s: got %+v", platform, r.Files)
		}
	}
	img := imagetest.Sample(t)
	sref, _ := name.ParseReference(reg + "/strata-test/sample:1")
	if err := remote.Write(sref, img, remote.WithContext(t.Context())); err != nil {
		t.Fatal(err)
	}
	r, err := analyzeRef(t, "docker://"+sref.String(), image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, r)
}
