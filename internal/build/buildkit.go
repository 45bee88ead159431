package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"time"

	dockerbuild "github.com/docker/docker/api/types/build"
	"github.com/docker/docker/client"
	controlapi "github.com/moby/buildkit/api/services/control"
	"github.com/moby/buildkit/session"
	"github.com/moby/buildkit/session/filesync"
	"github.com/tonistiigi/fsutil"
	fstypes "github.com/tonistiigi/fsutil/types"

	"github.com/stratatools/strata/internal/lazyre"
)

// Names of the aux messages the Engine sends during a BuildKit build.
const (
	auxTrace   = "moby.buildkit.trace"
	auxImageID = "moby.image.id"
)

// cancelTimeout bounds the request that stops a build on the Engine after
// the caller's context was cancelled.
const cancelTimeout = 10 * time.Second

// buildKit builds with the Engine's BuildKit: the build context and the
// Dockerfile's folder are served to the Engine over a session (the
// Engine's /session endpoint), and the build's progress comes back as
// BuildKit status messages in the build response.
func buildKit(ctx context.Context, cli *client.Client, spec Spec) (*Result, error) {
	ctxFS, dfFS, err := localSources(spec)
	if err != nil {
		return nil, err
	}

	sessCtx, stopSession := context.WithCancel(ctx)
	defer stopSession()
	sess, err := session.NewSession(sessCtx, sharedKey(spec.ContextDir))
	if err != nil {
		return nil, fmt.Errorf("starting a BuildKit session: %w", err)
	}
	sess.Allow(filesync.NewFSSyncProvider(filesync.StaticDirSource{
		"context":    ctxFS,
		"dockerfile": dfFS,
	}))
	sessDone := make(chan error, 1)
	go func() {
		sessDone <- sess.Run(sessCtx, func(ctx context.Context, proto string, meta map[string][]string) (net.Conn, error) {
			return cli.DialHijack(ctx, "/session", proto, meta)
		})
	}()
	defer func() {
		_ = sess.Close()
		stopSession()
		<-sessDone
	}()

	buildID := NewName("strata-build")
	opts := spec.engineOptions()
	opts.Version, opts.Dockerfile = dockerbuild.BuilderBuildKit, filepath.Base(spec.Dockerfile)
	opts.SessionID, opts.BuildID, opts.RemoteContext = sess.ID(), buildID, "client-session"

	// Stop the build on the Engine when the caller gives up: closing the
	// connection alone leaves BuildKit to notice in its own time.
	defer func() {
		if ctx.Err() != nil {
			cctx, cancel := context.WithTimeout(context.Background(), cancelTimeout)
			defer cancel()
			_ = cli.BuildCancel(cctx, buildID)
		}
	}()

	resp, err := cli.ImageBuild(ctx, nil, opts)
	if err != nil {
		return nil, fmt.Errorf("starting the BuildKit build of %s: %w", spec.Dockerfile, err)
	}
	defer resp.Body.Close()

	st := newBKStatus(spec.Progress)
	st.transferred = spec.Transferred
	if err := st.read(resp.Body); err != nil {
		return nil, err
	}
	res := newResult(st.imageID, st.steps())
	res.Transfers = st.transferList()
	return res, nil
}

// localSources returns the build context and the Dockerfile's folder as
// BuildKit's frontend reads them from the client ("context" and
// "dockerfile").
func localSources(spec Spec) (ctxFS, dfFS fsutil.FS, err error) {
	ctxFS, err = fsutil.NewFS(spec.ContextDir)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the build context %s: %w", spec.ContextDir, err)
	}
	// Files go to the builder owned by root, as docker build sends them.
	ctxFS, err = fsutil.NewFilterFS(ctxFS, &fsutil.FilterOpt{Map: func(_ string, st *fstypes.Stat) fsutil.MapResult {
		st.Uid, st.Gid = 0, 0
		return fsutil.MapResultKeep
	}})
	if err != nil {
		return nil, nil, fmt.Errorf("reading the build context %s: %w", spec.ContextDir, err)
	}
	dfDir := filepath.Dir(spec.Dockerfile)
	dfFS, err = fsutil.NewFS(dfDir)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the Dockerfile's folder %s: %w", dfDir, err)
	}
	return ctxFS, dfFS, nil
}

// sharedKey names the context directory to BuildKit, which keeps the files
// of an earlier transfer with the same key and then sends only changes.
func sharedKey(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	sum := sha256.Sum256([]byte(abs))
	return "strata-" + hex.EncodeToString(sum[:8])
}

// stepName matches the vertices BuildKit makes of Dockerfile instructions:
// "[2/3] COPY ...", "[build 1/4] FROM ...", and, with ten steps or more,
// the step number padded to the width of the total: "[ 2/10] RUN ...",
// "[build  2/10] RUN ...".
var stepName = lazyre.New(`^\[(?:[^\]\s]+ )?\s*\d+/\d+\] `)

// bkVertex is what the status messages said about one vertex.
type bkVertex struct {
	name      string
	cached    bool
	started   bool
	completed bool
	// begin and end are when BuildKit started and completed the vertex.
	begin, end time.Time
	err        string
	log        []string // last lines of output
	partial    string   // output after the last newline
}

// bkStatus folds a BuildKit build's status messages.
type bkStatus struct {
	progress func(Step)
	vertices map[string]*bkVertex
	order    []string
	imageID  string
	// transfers are the byte counts of the vertices' transfers, by
	// vertex and status ID, in the order they were first reported.
	transfers  []Transfer
	transferAt map[[2]string]int
	// transferred hears each transfer as it completes.
	transferred func(Transfer)
}

func newBKStatus(progress func(Step)) *bkStatus {
	return &bkStatus{progress: progress, vertices: map[string]*bkVertex{}, transferAt: map[[2]string]int{}}
}

// read consumes the build response to its end. The error is an *Error when
// the builder reported a failure.
func (s *bkStatus) read(r io.Reader) error {
	dec := json.NewDecoder(r)
	for {
		var m engineMessage
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the build's progress: %w", err)
		}
		if m.Error != nil || m.ErrorMessage != "" {
			msg := m.ErrorMessage
			if m.Error != nil && m.Error.Message != "" {
				msg = m.Error.Message
			}
			return s.failure(msg)
		}
		if m.Aux == nil {
			continue
		}
		switch m.ID {
		case auxTrace:
			var raw []byte
			if err := json.Unmarshal(*m.Aux, &raw); err != nil {
				return fmt.Errorf("reading the build's progress: %w", err)
			}
			var sr controlapi.StatusResponse
			if err := sr.UnmarshalVT(raw); err != nil {
				return fmt.Errorf("reading the build's progress: %w", err)
			}
			s.apply(&sr)
		case auxImageID:
			var id struct{ ID string }
			if err := json.Unmarshal(*m.Aux, &id); err == nil {
				s.imageID = id.ID
			}
		}
	}
}

func (s *bkStatus) vertex(dgst string) *bkVertex {
	v, ok := s.vertices[dgst]
	if !ok {
		v = &bkVertex{}
		s.vertices[dgst] = v
		s.order = append(s.order, dgst)
	}
	return v
}

// apply folds one status message in.
func (s *bkStatus) apply(sr *controlapi.StatusResponse) {
	for _, vx := range sr.Vertexes {
		v := s.vertex(vx.Digest)
		if vx.Name != "" {
			v.name = vx.Name
		}
		v.cached = v.cached || vx.Cached
		if vx.Error != "" {
			v.err = vx.Error
		}
		if (vx.Started != nil || vx.Cached) && !v.started {
			v.started = true
			if s.progress != nil && stepName.MatchString(v.name) {
				s.progress(Step{Name: v.name, Cached: v.cached})
			}
		}
		if vx.Started != nil && v.begin.IsZero() {
			v.begin = vx.Started.AsTime()
		}
		if vx.Completed != nil {
			v.completed = true
			v.end = vx.Completed.AsTime()
		}
	}
	for _, vs := range sr.Statuses {
		if !strings.HasPrefix(vs.ID, transferPrefix) {
			continue
		}
		key := [2]string{vs.Vertex, vs.ID}
		i, ok := s.transferAt[key]
		if !ok {
			i = len(s.transfers)
			s.transferAt[key] = i
			s.transfers = append(s.transfers, Transfer{Vertex: vs.Vertex, Name: strings.TrimSuffix(strings.TrimPrefix(vs.ID, transferPrefix), ":")})
		}
		if vs.Current > s.transfers[i].Bytes {
			s.transfers[i].Bytes = vs.Current
		}
		if vs.Completed != nil && !s.transfers[i].Done {
			s.transfers[i].Done = true
			if s.transferred != nil {
				t := s.transfers[i]
				if v, ok := s.vertices[t.Vertex]; ok {
					t.Vertex = v.name
				}
				s.transferred(t)
			}
		}
	}
	for _, l := range sr.Logs {
		v := s.vertex(l.Vertex)
		text := v.partial + string(l.Msg)
		lines := strings.Split(text, "\n")
		v.partial = lines[len(lines)-1]
		for _, line := range lines[:len(lines)-1] {
			v.log = appendTail(v.log, strings.TrimRight(line, "\r"))
		}
	}
}

// appendTail appends line and keeps the last logTail lines.
func appendTail(lines []string, line string) []string {
	lines = append(lines, line)
	if len(lines) > logTail {
		lines = append(lines[:0], lines[len(lines)-logTail:]...)
	}
	return lines
}

// transferPrefix starts the status IDs BuildKit gives the transfers of
// local sources from the client ("transferring context:").
const transferPrefix = "transferring "

// transferList returns the transfers with the names of their vertices.
func (s *bkStatus) transferList() []Transfer {
	out := make([]Transfer, len(s.transfers))
	for i, t := range s.transfers {
		if v, ok := s.vertices[t.Vertex]; ok {
			t.Vertex = v.name
		}
		out[i] = t
	}
	return out
}

// steps returns the Dockerfile steps in the order they started.
func (s *bkStatus) steps() []Step {
	var out []Step
	for _, d := range s.order {
		if v := s.vertices[d]; stepName.MatchString(v.name) {
			st := Step{Name: v.name, Cached: v.cached}
			if !v.begin.IsZero() && v.end.After(v.begin) {
				st.Duration = v.end.Sub(v.begin)
			}
			out = append(out, st)
		}
	}
	return out
}

// failureRank orders the vertices that reported an error by how likely
// they are the cause: a Dockerfile step over an internal vertex, and one
// that failed over one cancelled because another failed.
func failureRank(v *bkVertex) int {
	r := 0
	if stepName.MatchString(v.name) {
		r += 2
	}
	if !strings.Contains(v.err, "context canceled") {
		r++
	}
	return r
}

// failure builds the error for a failed build: the vertex that reported an
// error, preferring a Dockerfile step, with its last output lines.
func (s *bkStatus) failure(msg string) *Error {
	var failed *bkVertex
	for _, d := range s.order {
		v := s.vertices[d]
		if v.err == "" {
			continue
		}
		if failed == nil || failureRank(v) > failureRank(failed) {
			failed = v
		}
	}
	e := &Error{Message: strings.TrimSpace(msg)}
	if failed != nil {
		e.Step = failed.name
		e.Log = append([]string(nil), failed.log...)
		if failed.partial != "" {
			e.Log = appendTail(e.Log, failed.partial)
		}
	}
	return e
}
