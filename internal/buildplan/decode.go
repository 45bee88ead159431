package buildplan

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
	"google.golang.org/protobuf/proto"

	"github.com/stratatools/strata/internal/dockerfile"
)

// contextSource is the identifier of the build context's source.
const contextSource = "local://context"

// decode fills the plan from BuildKit's build definition.
func (p *Plan) decode(def *pb.Definition, opts Options) error {
	if len(def.Def) == 0 {
		return errors.New("empty definition")
	}
	ops := map[string]*pb.Op{}
	var last string
	for _, dt := range def.Def {
		var op pb.Op
		if err := op.UnmarshalVT(dt); err != nil {
			return err
		}
		d := digest.FromBytes(dt).String()
		ops[d] = &op
		last = d
	}
	noCache := map[string]bool{}
	for _, s := range opts.NoCacheFilter {
		noCache[strings.ToLower(s)] = true
	}
	steps := map[string]*Step{}
	var visit func(d string) (*Step, error)
	visit = func(d string) (*Step, error) {
		if s, ok := steps[d]; ok {
			if s == nil {
				return nil, fmt.Errorf("cycle at %s", d)
			}
			return s, nil
		}
		op, ok := ops[d]
		if !ok {
			return nil, fmt.Errorf("operation %s is missing", d)
		}
		steps[d] = nil
		inputs := make([]*Step, len(op.Inputs))
		for i, in := range op.Inputs {
			s, err := visit(in.Digest)
			if err != nil {
				return nil, err
			}
			inputs[i] = s
		}
		s, err := p.newStep(d, op, inputs, def)
		if err != nil {
			return nil, err
		}
		// --no-cache-filter marks a stage's RUN, COPY and ADD (not its
		// FROM or WORKDIR), as BuildKit's frontend does.
		if s.Stage != "" && noCache[s.Stage] && (s.Kind == KindRun || s.Kind == KindCopy || s.Kind == KindAdd) {
			s.IgnoreCache = true
		}
		steps[d] = s
		p.Steps = append(p.Steps, s)
		return s, nil
	}
	// The last operation is the result: its one input is the target's
	// final state.
	if _, err := visit(last); err != nil {
		return err
	}
	p.Steps = p.Steps[:len(p.Steps)-1]
	seen := map[string]bool{}
	for _, s := range p.File.Stages {
		name := StageName(s)
		for _, st := range p.Steps {
			if st.Stage == name && !seen[name] {
				seen[name] = true
				p.Stages = append(p.Stages, name)
			}
		}
	}
	return nil
}

// newStep decodes one operation whose inputs are decoded.
func (p *Plan) newStep(d string, op *pb.Op, inputs []*Step, def *pb.Definition) (*Step, error) {
	s := &Step{Digest: d, Kind: KindOther}
	if md := def.Metadata[d]; md != nil {
		s.Name = md.Description["llb.customname"]
		s.IgnoreCache = md.IgnoreCache
	}
	if locs := def.Source.GetLocations()[d]; locs != nil {
		// An operation two stages share (the same FROM) has a location
		// in each; the stage in its name picks one.
		want := nameStage(s.Name)
		for _, l := range locs.Locations {
			for _, r := range l.Ranges {
				in := instructionAt(p.File, int(r.Start.Line))
				if in == nil {
					continue
				}
				if s.Instruction == nil || in.Stage != nil && StageName(in.Stage) == want {
					s.Instruction = in
				}
			}
		}
	}
	if in := s.Instruction; in != nil && s.IsStep() {
		if in.Stage != nil {
			s.Stage = StageName(in.Stage)
		}
		switch in.Cmd {
		case "from", "run", "copy", "add", "workdir":
			s.Kind = in.Cmd
		}
	}
	core := op.CloneVT()
	core.Inputs = nil
	switch o := op.Op.(type) {
	case *pb.Op_Source:
		s.Source = o.Source.Identifier
		if s.Kind != KindFrom {
			// The download of an ADD <url> shares the ADD's name but is
			// not the step.
			s.Kind = KindOther
		}
		if s.Source == contextSource {
			s.Kind = KindContext
			use := &ContextUse{Step: s}
			if fp, ok := o.Source.Attrs[pb.AttrFollowPaths]; ok {
				if err := json.Unmarshal([]byte(fp), &use.FollowPaths); err != nil {
					return nil, fmt.Errorf("follow paths %q: %w", fp, err)
				}
			}
			p.Context = use
		}
		src := core.GetSource()
		for _, k := range []string{pb.AttrLocalUniqueID, pb.AttrLocalSessionID, pb.AttrSharedKeyHint} {
			delete(src.Attrs, k)
		}
	case *pb.Op_Exec:
		m := o.Exec.Meta
		s.Exec = &Exec{Args: m.Args, Env: m.Env, Cwd: m.Cwd, User: m.User}
		if o.Exec.Network != pb.NetMode_UNSET {
			s.Exec.Network = o.Exec.Network.String()
		}
		normaliseExec(core.GetExec())
		s.Inputs = execInputs(o.Exec, inputs)
	case *pb.Op_File:
		s.Inputs = fileInputs(o.File, inputs)
		for _, a := range core.GetFile().Actions {
			if c := a.GetCopy(); c != nil && a.SecondaryInput != -1 && int(a.SecondaryInput) < len(inputs) {
				c.Src = path.Base(c.Src)
			}
		}
	default:
		for _, in := range inputs {
			s.Inputs = append(s.Inputs, Input{Step: in, Kind: InputBase})
		}
	}
	for _, in := range s.Inputs {
		if in.Step.Kind != KindContext {
			continue
		}
		for _, sel := range in.Selectors {
			s.Reads = append(s.Reads, Read{Path: strings.TrimPrefix(path.Clean("/"+sel), "/"), Wildcard: in.Wildcard && hasWildcard(sel), Mount: in.Kind == InputMount})
		}
	}
	dt, err := proto.MarshalOptions{Deterministic: true}.Marshal(core)
	if err != nil {
		return nil, err
	}
	s.Core = digest.FromBytes(dt).String()
	return s, nil
}

// normaliseExec clears what BuildKit leaves out of a RUN's cache key:
// the mounts' selectors (they key the inputs instead), proxy variables,
// the addresses of extra hosts, and the identity of a cache mount that
// names its own id.
func normaliseExec(e *pb.ExecOp) {
	for _, m := range e.Mounts {
		m.Selector = ""
		if c := m.CacheOpt; c != nil && !(c.ID == m.Dest && c.Sharing == 0) {
			if _, rest, ok := strings.Cut(c.ID, "/"); !(ok && rest == m.Dest && c.Sharing == 0) {
				c.ID, c.Sharing = "", 0
			}
		}
	}
	if e.Meta != nil {
		e.Meta.ProxyEnv = nil
		for _, h := range e.Meta.ExtraHosts {
			h.IP = ""
		}
	}
}

// execInputs are a RUN's inputs, with what BuildKit compares by content:
// a mount that is read-only or whose changes are thrown away, other than
// the root.
func execInputs(e *pb.ExecOp, inputs []*Step) []Input {
	out := make([]Input, len(inputs))
	for i, in := range inputs {
		out[i] = Input{Step: in, Kind: InputMount}
	}
	byContent := make([]bool, len(inputs))
	blocked := make([]bool, len(inputs))
	for _, m := range e.Mounts {
		switch m.MountType {
		case pb.MountType_SECRET, pb.MountType_SSH, pb.MountType_TMPFS:
			continue
		}
		if m.Input < 0 || int(m.Input) >= len(inputs) {
			continue
		}
		i := int(m.Input)
		sel := path.Join("/", m.Selector)
		out[i].Selectors = append(out[i].Selectors, sel)
		if m.Dest == pb.RootMount {
			out[i].Kind = InputBase
		}
		ok := m.Output == int64(pb.SkipOutput) || m.Readonly || sel == pb.RootMount
		switch m.ContentCache {
		case pb.MountContentCache_OFF:
			ok = false
		case pb.MountContentCache_DEFAULT:
			if m.Dest == pb.RootMount {
				ok = false
			}
		}
		if ok {
			byContent[i] = true
		} else {
			blocked[i] = true
		}
	}
	for i := range out {
		out[i].ByContent = byContent[i] && !blocked[i]
		for _, sel := range out[i].Selectors {
			out[i].Wildcard = out[i].Wildcard || hasWildcard(sel)
		}
	}
	return out
}

// fileInputs are a COPY's (or WORKDIR's) inputs: the filesystem it
// changes, and the sources it copies from, which BuildKit compares by
// the content of the copied paths.
func fileInputs(f *pb.FileOp, inputs []*Step) []Input {
	out := make([]Input, len(inputs))
	for i, in := range inputs {
		out[i] = Input{Step: in, Kind: InputBase}
	}
	base := make([]bool, len(inputs))
	copied := make([]bool, len(inputs))
	for _, a := range f.Actions {
		if a.Input >= 0 && int(a.Input) < len(inputs) {
			base[a.Input] = true
		}
		c := a.GetCopy()
		if c == nil || a.SecondaryInput < 0 || int(a.SecondaryInput) >= len(inputs) {
			continue
		}
		i := int(a.SecondaryInput)
		copied[i] = true
		out[i].Kind = InputCopy
		out[i].Selectors = append(out[i].Selectors, c.Src)
		if c.AllowWildcard && hasWildcard(c.Src) {
			out[i].Wildcard = true
		}
	}
	for i := range out {
		out[i].ByContent = copied[i] && !base[i]
		sort.Strings(out[i].Selectors)
	}
	return out
}

// hasWildcard reports whether a BuildKit path holds a pattern character
// (a backslash escapes the next one).
func hasWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '*', '?', '[':
			return true
		}
	}
	return false
}

// nameStage returns the stage of a step name ("build" for "[build 2/4]
// ..."); "" when the name has none.
func nameStage(name string) string {
	if !strings.HasPrefix(name, "[") {
		return ""
	}
	head, _, ok := strings.Cut(name[1:], "]")
	if !ok {
		return ""
	}
	if st, _, ok := strings.Cut(strings.TrimSpace(head), " "); ok {
		return st
	}
	return ""
}

// instructionAt returns the top-level instruction whose lines hold line.
func instructionAt(f *dockerfile.File, line int) *dockerfile.Instruction {
	for _, in := range f.Instructions {
		if in.StartLine <= line && line <= in.EndLine {
			return in
		}
	}
	return nil
}
