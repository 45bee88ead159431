package rules

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerui"
	gwclient "github.com/moby/buildkit/frontend/gateway/client"
	gwpb "github.com/moby/buildkit/frontend/gateway/pb"
	"github.com/moby/buildkit/frontend/subrequests/lint"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
	fstypes "github.com/tonistiigi/fsutil/types"
)

// The oracle: BuildKit's own Dockerfile frontend, run in-process in the
// "frontend.lint" subrequest mode that `docker build --check` uses. Only
// the builder around it is played by bkGateway: the Dockerfile and the
// ignore files are read from disk, and every base image resolves to a
// linux/amd64 image with one layer and an empty configuration (no ENV,
// WORKDIR, SHELL or ONBUILD), since no registry is reachable.

// bkResult is what BuildKit's linter says about one Dockerfile.
type bkResult struct {
	Warnings []bkWarning
	// Err is the error that stops the build, nil when it would go on.
	Err *bkWarning
}

// bkWarning is one warning (Rule set) or the build error (Rule empty).
// Line is the first line of its first range, 0 when BuildKit gives none.
type bkWarning struct {
	Rule    string
	Line    int
	Message string
}

func (w bkWarning) String() string {
	if w.Rule == "" {
		return fmt.Sprintf("%d: build error: %s", w.Line, w.Message)
	}
	return fmt.Sprintf("%d: %s: %s", w.Line, w.Rule, w.Message)
}

// bkLint runs BuildKit's linter on the Dockerfile at path with the build
// context ctxDir.
func bkLint(ctx context.Context, path, ctxDir string) (*bkResult, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	plat := ocispecs.Platform{OS: "linux", Architecture: "amd64"}
	gw := &bkGateway{
		locals: map[string]string{"dockerfile": filepath.Dir(abs), "context": ctxDir},
		opts: gwclient.BuildOpts{
			Opts: map[string]string{
				"requestid": lint.RequestLint,
				"filename":  filepath.Base(abs),
			},
			SessionID: "strata-test",
			Workers:   []gwclient.WorkerInfo{{ID: "strata-test", Platforms: []ocispecs.Platform{plat}}},
			Product:   "strata-test",
			LLBCaps:   pb.Caps.CapSet(pb.Caps.All()),
			Caps:      gwpb.Caps.CapSet(gwpb.Caps.All()),
		},
		platform: plat,
	}
	// What the frontend's builder.Build does for a lint request, without
	// its image-resolution cache (which races with itself) and without
	// handing over to the frontend a "# syntax=" line names.
	bc, err := dockerui.NewClient(gw)
	if err != nil {
		return nil, err
	}
	src, err := bc.ReadEntrypoint(ctx, "Dockerfile")
	if err != nil {
		return nil, fmt.Errorf("BuildKit frontend: %w", err)
	}
	opt := dockerfile2llb.ConvertOpt{Config: bc.Config, Client: bc, SourceMap: src.SourceMap, MetaResolver: gw}
	res, ok, err := bc.HandleSubrequest(ctx, dockerui.RequestHandler{
		Lint: func(ctx context.Context) (*lint.LintResults, error) {
			return dockerfile2llb.DockerfileLint(ctx, src.Data, opt)
		},
	})
	if err != nil {
		return nil, fmt.Errorf("BuildKit frontend: %w", err)
	}
	if !ok {
		return nil, errors.New("BuildKit frontend did not take the lint request")
	}
	dt, ok := res.Metadata["result.json"]
	if !ok {
		return nil, errors.New("BuildKit frontend returned no result.json")
	}
	var lr lint.LintResults
	if err := json.Unmarshal(dt, &lr); err != nil {
		return nil, err
	}
	out := &bkResult{}
	for _, w := range lr.Warnings {
		out.Warnings = append(out.Warnings, bkWarning{Rule: w.RuleName, Line: bkFirstLine(w.Location), Message: w.Detail})
	}
	if lr.Error != nil {
		out.Err = &bkWarning{Line: bkFirstLine(&lr.Error.Location), Message: lr.Error.Message}
	}
	return out, nil
}

func bkFirstLine(loc *pb.Location) int {
	if loc == nil {
		return 0
	}
	for _, r := range loc.Ranges {
		if r != nil && r.Start != nil {
			return int(r.Start.Line)
		}
	}
	return 0
}

// bkGateway is the builder as the frontend sees it.
type bkGateway struct {
	locals   map[string]string // local source name -> directory
	opts     gwclient.BuildOpts
	platform ocispecs.Platform
}

func (g *bkGateway) BuildOpts() gwclient.BuildOpts { return g.opts }

func (g *bkGateway) Inputs(context.Context) (map[string]llb.State, error) {
	return map[string]llb.State{}, nil
}

func (g *bkGateway) NewContainer(context.Context, gwclient.NewContainerRequest) (gwclient.Container, error) {
	return nil, errors.New("no containers in the lint oracle")
}

func (g *bkGateway) Warn(context.Context, digest.Digest, string, gwclient.WarnOpts) error { return nil }

// Solve serves the local sources the frontend reads files from.
func (g *bkGateway) Solve(_ context.Context, req gwclient.SolveRequest) (*gwclient.Result, error) {
	if req.Definition == nil {
		return gwclient.NewResult(), nil
	}
	dir := ""
	for _, d := range req.Definition.Def {
		var op pb.Op
		if err := op.UnmarshalVT(d); err != nil {
			return nil, err
		}
		src := op.GetSource()
		if src == nil {
			continue
		}
		name, ok := strings.CutPrefix(src.Identifier, "local://")
		if !ok {
			return nil, fmt.Errorf("cannot solve %s", src.Identifier)
		}
		if dir, ok = g.locals[name]; !ok {
			return nil, fmt.Errorf("unknown local source %q", name)
		}
	}
	if dir == "" {
		return nil, errors.New("definition without a local source")
	}
	res := gwclient.NewResult()
	res.SetRef(&bkLocal{dir: dir})
	return res, nil
}

// ResolveImageConfig answers for every image with an empty configuration
// for the requested platform.
func (g *bkGateway) ResolveImageConfig(_ context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	p := g.platform
	if opt.ImageOpt != nil && opt.ImageOpt.Platform != nil {
		p = *opt.ImageOpt.Platform
	}
	img := ocispecs.Image{
		Platform: ocispecs.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant},
		RootFS:   ocispecs.RootFS{Type: "layers", DiffIDs: []digest.Digest{digest.FromString("layer")}},
	}
	dt, err := json.Marshal(img)
	return ref, "", dt, err
}

func (g *bkGateway) ResolveSourceMetadata(ctx context.Context, op *pb.SourceOp, opt sourceresolver.Opt) (*sourceresolver.MetaResponse, error) {
	ref, ok := strings.CutPrefix(op.Identifier, "docker-image://")
	if !ok {
		return nil, fmt.Errorf("cannot resolve %s", op.Identifier)
	}
	_, dgst, dt, err := g.ResolveImageConfig(ctx, ref, opt)
	if err != nil {
		return nil, err
	}
	return &sourceresolver.MetaResponse{Op: op, Image: &sourceresolver.ResolveImageResponse{Digest: dgst, Config: dt}}, nil
}

// bkLocal is a directory the frontend reads.
type bkLocal struct{ dir string }

func (r *bkLocal) path(p string) string { return filepath.Join(r.dir, filepath.Clean("/"+p)) }

func (r *bkLocal) ToState() (llb.State, error)    { return llb.Local("strata-test"), nil }
func (r *bkLocal) Evaluate(context.Context) error { return nil }

func (r *bkLocal) ReadFile(_ context.Context, req gwclient.ReadRequest) ([]byte, error) {
	f, err := os.Open(r.path(req.Filename))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rd io.Reader = f
	if req.Range != nil {
		if _, err := f.Seek(int64(req.Range.Offset), io.SeekStart); err != nil {
			return nil, err
		}
		rd = io.LimitReader(f, int64(req.Range.Length))
	}
	return io.ReadAll(rd)
}

func (r *bkLocal) StatFile(_ context.Context, req gwclient.StatRequest) (*fstypes.Stat, error) {
	fi, err := os.Stat(r.path(req.Path))
	if err != nil {
		return nil, err
	}
	return &fstypes.Stat{Path: req.Path, Mode: uint32(fi.Mode()), Size: fi.Size(), ModTime: fi.ModTime().UnixNano()}, nil
}

func (r *bkLocal) ReadDir(_ context.Context, req gwclient.ReadDirRequest) ([]*fstypes.Stat, error) {
	ents, err := os.ReadDir(r.path(req.Path))
	if err != nil {
		return nil, err
	}
	var out []*fstypes.Stat
	for _, e := range ents {
		if req.IncludePattern != "" {
			if ok, _ := filepath.Match(req.IncludePattern, e.Name()); !ok {
				continue
			}
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, &fstypes.Stat{Path: e.Name(), Mode: uint32(fi.Mode()), Size: fi.Size()})
	}
	return out, nil
}
