package lsp

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// ImageInfo is what the local Docker Engine knows of an image.
type ImageInfo struct {
	ID           string
	Created      string
	OS, Arch     string
	Size         int64
	Layers       int
	User         string
	WorkingDir   string
	Entrypoint   []string
	Cmd          []string
	ExposedPorts []string
	RepoDigests  []string
}

// Inspector reads what the local Docker Engine knows of an image. It
// returns nil and no error when the Engine has no image of that name.
type Inspector func(ctx context.Context, ref string) (*ImageInfo, error)

// EngineInspector asks the Docker Engine that connect reaches.
func EngineInspector(connect func(context.Context) (*client.Client, error)) Inspector {
	return func(ctx context.Context, ref string) (*ImageInfo, error) {
		cli, err := connect(ctx)
		if err != nil {
			return nil, err
		}
		defer cli.Close()
		in, err := cli.ImageInspect(ctx, ref)
		if errdefs.IsNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("inspecting %s: %w", ref, err)
		}
		info := &ImageInfo{ID: in.ID, Created: in.Created, OS: in.Os, Arch: in.Architecture, Size: in.Size,
			Layers: len(in.RootFS.Layers), RepoDigests: in.RepoDigests}
		if in.Variant != "" {
			info.Arch += "/" + in.Variant
		}
		if c := in.Config; c != nil {
			info.User, info.WorkingDir, info.Entrypoint, info.Cmd = c.User, c.WorkingDir, c.Entrypoint, c.Cmd
			for p := range c.ExposedPorts {
				info.ExposedPorts = append(info.ExposedPorts, p)
			}
			sort.Strings(info.ExposedPorts)
		}
		return info, nil
	}
}

// Base image look-ups are cached for a while and bounded in time, so
// that hovering stays quick when the Engine is slow or absent.
const (
	baseTTL     = 30 * time.Second
	baseTimeout = time.Second
)

// baseEntry is a cached answer of the Inspector.
type baseEntry struct {
	info *ImageInfo
	err  error
	at   time.Time
}

// inspectBase asks the Inspector about ref, through the cache.
func (s *session) inspectBase(ref string) (*ImageInfo, error) {
	s.mu.Lock()
	e, ok := s.bases[ref]
	s.mu.Unlock()
	if ok && time.Since(e.at) < baseTTL {
		return e.info, e.err
	}
	ctx, cancel := context.WithTimeout(s.ctx, baseTimeout)
	defer cancel()
	info, err := s.opts.Inspect(ctx, ref)
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("the Docker Engine did not answer within %v", baseTimeout)
	}
	s.mu.Lock()
	s.bases[ref] = baseEntry{info: info, err: err, at: time.Now()}
	s.mu.Unlock()
	return info, err
}

// baseHover describes the base of the stage a FROM starts: the stage it
// is built on, or the image with what its reference says (registry,
// tag, digest, ARG expansion), what the local Engine knows of it, and
// strata's findings on the FROM.
func (s *session) baseHover(a *analysis, st *dockerfile.Stage) string {
	var b strings.Builder
	name := ""
	if st.Name != "" {
		name = " `" + st.Name + "`"
	}
	fmt.Fprintf(&b, "**Stage %d%s** of %d, built FROM `%s`\n\n", st.Index+1, name, len(a.file.Stages), st.BaseRaw)
	switch ref := st.Base; {
	case st.BaseStage != nil:
		bs := st.BaseStage
		fmt.Fprintf(&b, "Built on stage %d `%s` of this file (line %d): it starts with that stage's files, user, environment and working directory.", bs.Index+1, bs.Name, bs.From.StartLine)
		chain := st.Chain()
		if root := chain[len(chain)-1]; root != bs {
			fmt.Fprintf(&b, " The chain starts FROM `%s` (line %d).", root.BaseRaw, root.From.StartLine)
		}
		b.WriteString("\n")
	case ref.Scratch:
		b.WriteString("`scratch` is the empty image: no shell, no package manager, no users, no CA certificates. RUN cannot work here; everything comes in by COPY (a static binary, /etc/passwd, certificates).\n")
	case ref.Unresolved:
		fmt.Fprintf(&b, "`%s` names a build argument without a value: the base is chosen at build time with --build-arg.\n", st.BaseRaw)
	default:
		s.describeImage(&b, st)
	}
	if users := stageUsers(a.file, st); len(users) > 0 {
		fmt.Fprintf(&b, "\nUsed by %s.\n", vocab.JoinAnd(users))
	}
	var found []string
	for _, f := range a.findings() {
		if f.Line <= st.From.EndLine && f.EndLine >= st.From.StartLine {
			found = append(found, fmt.Sprintf("- **%s** (%s): %s", f.Rule.ID, f.Severity, f.Message))
		}
	}
	if len(found) > 0 {
		fmt.Fprintf(&b, "\nstrata's findings on this FROM:\n\n%s\n", strings.Join(found, "\n"))
	}
	return b.String()
}

// describeImage writes what the reference of an image base says and
// what the local Engine knows of it.
func (s *session) describeImage(b *strings.Builder, st *dockerfile.Stage) {
	ref := st.Base
	where := "on Docker Hub"
	switch {
	case ref.Registry != "":
		where = "on the registry `" + ref.Registry + "`"
	case !strings.Contains(ref.Repository, "/"):
		where = "on Docker Hub, an official image"
	}
	fmt.Fprintf(b, "- Image `%s` %s\n", ref.Repository, where)
	if st.BaseRaw != ref.Raw {
		fmt.Fprintf(b, "- Written with build arguments; `%s` after ARG expansion (defaults only)\n", ref.Raw)
	}
	switch {
	case ref.Digest != "":
		fmt.Fprintf(b, "- Pinned to the digest `%s`: every build gets the same image\n", ref.Digest)
	case ref.Tag != "":
		fmt.Fprintf(b, "- Tag `%s`, not pinned to a digest: the tag can move to a new image and change the build\n", ref.Tag)
	default:
		b.WriteString("- No tag: the build uses `latest`, whatever it is that day\n")
	}
	if st.Platform != "" {
		fmt.Fprintf(b, "- Platform `%s`\n", st.Platform)
	}
	if isShellLess(ref) {
		b.WriteString("- A distroless image: no shell, so RUN and shell-form CMD cannot work\n")
	}
	if s.opts.Inspect == nil {
		return
	}
	info, err := s.inspectBase(ref.Raw)
	switch {
	case err != nil:
		fmt.Fprintf(b, "\nLocal Docker Engine: not asked (%v).\n", err)
	case info == nil:
		b.WriteString("\nLocal Docker Engine: no such image (it is pulled on the first build).\n")
	default:
		writeImageInfo(b, info)
	}
}

// writeImageInfo writes what the Engine knows of the image.
func writeImageInfo(b *strings.Builder, info *ImageInfo) {
	id := strings.TrimPrefix(info.ID, "sha256:")
	if len(id) > 12 {
		id = id[:12]
	}
	fmt.Fprintf(b, "\nLocal Docker Engine: image `%s`, %s in %d layers, %s/%s", id, vocab.FormatSize(info.Size), info.Layers, info.OS, info.Arch)
	if info.Created != "" {
		fmt.Fprintf(b, ", created %s", info.Created)
	}
	b.WriteString("\n\n")
	user := info.User
	if user == "" {
		user = "root (no USER set)"
	}
	fmt.Fprintf(b, "- Runs as `%s`\n", user)
	if info.WorkingDir != "" {
		fmt.Fprintf(b, "- Working directory `%s`\n", info.WorkingDir)
	}
	if len(info.Entrypoint) > 0 {
		fmt.Fprintf(b, "- Entrypoint `%s`\n", strings.Join(info.Entrypoint, " "))
	}
	if len(info.Cmd) > 0 {
		fmt.Fprintf(b, "- Command `%s`\n", strings.Join(info.Cmd, " "))
	}
	if len(info.ExposedPorts) > 0 {
		fmt.Fprintf(b, "- Exposes %s\n", strings.Join(info.ExposedPorts, ", "))
	}
	for _, d := range info.RepoDigests {
		fmt.Fprintf(b, "- Digest `%s`\n", d)
	}
}

// isShellLess reports whether ref names a distroless image.
func isShellLess(ref dockerfile.ImageRef) bool {
	r := strings.ToLower(ref.Registry + "/" + ref.Repository)
	return strings.Contains(r, "distroless") || strings.HasPrefix(r, "cgr.dev/chainguard/static")
}

// stageUsers names the later stages built on st or copying from it.
func stageUsers(f *dockerfile.File, st *dockerfile.Stage) []string {
	var out []string
	for _, o := range f.Stages {
		label := fmt.Sprintf("stage %d", o.Index+1)
		if o.Name != "" {
			label += " `" + o.Name + "`"
		}
		switch {
		case o.BaseStage == st:
			out = append(out, label+" (FROM)")
		case containsStage(o.CopiesFrom, st):
			out = append(out, label+" (COPY --from)")
		}
	}
	return out
}

func containsStage(ss []*dockerfile.Stage, st *dockerfile.Stage) bool {
	for _, s := range ss {
		if s == st {
			return true
		}
	}
	return false
}
