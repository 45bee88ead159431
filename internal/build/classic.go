package build

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	dockerbuild "github.com/docker/docker/api/types/build"
	"github.com/docker/docker/client"
	"github.com/stratatools/strata/internal/dockerignore"
	"github.com/stratatools/strata/internal/lazyre"
)

// classic builds with the Engine's classic builder: the context goes up as
// a tar stream and the steps come back as text.
func classic(ctx context.Context, cli *client.Client, spec Spec) (*Result, error) {
	dfName := dockerignore.InContext(spec.ContextDir, spec.Dockerfile)
	if dfName == "" {
		dfName = NewName(".strata-dockerfile")
	}
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(writeContextTar(pw, spec.ContextDir, spec.Dockerfile, dfName))
	}()
	defer pr.Close()

	opts := spec.engineOptions()
	opts.Version, opts.Dockerfile = dockerbuild.BuilderV1, dfName
	resp, err := cli.ImageBuild(ctx, pr, opts)
	if err != nil {
		return nil, fmt.Errorf("starting the classic build of %s: %w", spec.Dockerfile, err)
	}
	defer resp.Body.Close()
	st := &classicStatus{progress: spec.Progress, tracker: spec.Tracker}
	if err := st.read(resp.Body); err != nil {
		return nil, err
	}
	return newResult(st.imageID, st.steps), nil
}

var (
	classicStep  = lazyre.New(`^Step \d+/\d+ : (.*)$`)
	classicImage = lazyre.New(`^ ---> ([0-9a-f]{12,64})$`)
)

// classicStatus folds the classic builder's text output.
type classicStatus struct {
	progress func(Step)
	tracker  *Tracker

	partial string
	step    string   // the current step, "Step 2/3 : RUN ..."
	isFrom  bool     // the current step is a FROM
	cachedS bool     // the current step came from the cache
	log     []string // the current step's output
	steps   []Step   // every step, FROM included
	imageID string
}

func (s *classicStatus) read(r io.Reader) error {
	dec := json.NewDecoder(r)
	for {
		var m engineMessage
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			s.flush()
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the build's output: %w", err)
		}
		if m.Stream != "" {
			s.text(m.Stream)
		}
		if m.Error != nil || m.ErrorMessage != "" {
			s.flush()
			msg := m.ErrorMessage
			if m.Error != nil && m.Error.Message != "" {
				msg = m.Error.Message
			}
			return &Error{Step: s.step, Log: append([]string(nil), s.log...), Message: strings.TrimSpace(msg)}
		}
		if m.Aux != nil {
			var id struct{ ID string }
			if err := json.Unmarshal(*m.Aux, &id); err == nil && id.ID != "" {
				s.imageID = id.ID
			}
		}
	}
}

// text folds output text in, line by line.
func (s *classicStatus) text(t string) {
	lines := strings.Split(s.partial+t, "\n")
	s.partial = lines[len(lines)-1]
	for _, l := range lines[:len(lines)-1] {
		s.line(strings.TrimRight(l, "\r"))
	}
}

// flush folds in a last line that has no newline.
func (s *classicStatus) flush() {
	if s.partial != "" {
		s.text("\n")
	}
}

func (s *classicStatus) line(l string) {
	if m := classicStep.FindStringSubmatch(l); m != nil {
		s.step, s.log, s.cachedS = l, nil, false
		s.isFrom = strings.HasPrefix(strings.ToUpper(m[1]), "FROM ")
		s.steps = append(s.steps, Step{Name: l})
		if s.progress != nil {
			s.progress(Step{Name: l})
		}
		return
	}
	switch {
	case l == " ---> Using cache":
		if len(s.steps) > 0 {
			s.steps[len(s.steps)-1].Cached = true
		}
		s.cachedS = true
		return
	case strings.HasPrefix(l, " ---> Running in "):
		// The step's container: the builder removes it, unless the build
		// is cut short.
		if s.tracker != nil {
			s.tracker.Container(strings.TrimPrefix(l, " ---> Running in "))
		}
		return
	case strings.HasPrefix(l, "Removing intermediate container "):
		return
	}
	if m := classicImage.FindStringSubmatch(l); m != nil {
		// A step's new image: it outlives a failed build.
		if s.tracker != nil && !s.isFrom && !s.cachedS && s.step != "" {
			s.tracker.intermediate(m[1])
		}
		return
	}
	if strings.TrimSpace(l) == "" && len(s.log) == 0 {
		return
	}
	s.log = appendTail(s.log, l)
}
