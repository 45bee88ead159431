package dockerfile

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Stage is one build stage: a FROM and the instructions up to the next.
type Stage struct {
	Index int
	// Name is the stage name as written after AS ("" when unnamed).
	Name string
	// From is the FROM instruction.
	From *Instruction
	// Instructions lists the stage's instructions, the FROM first.
	Instructions []*Instruction
	// BaseRaw is the base as written; Base is parsed after ARG expansion.
	BaseRaw string
	Base    ImageRef
	// BaseStage is the earlier stage this one is built FROM, if any.
	BaseStage *Stage
	// Platform is the --platform flag value as written.
	Platform string
	// CopiesFrom lists the stages this stage reads with COPY --from or
	// RUN --mount=from=.
	CopiesFrom []*Stage

	// The graph, computed once by Parse so that questions about a stage's
	// chain cost the same however deep it is: the first stage of its
	// chain, its depth in it (0 for a stage built FROM an image), whether
	// a later stage is built FROM it, and whether the final stage is this
	// one or built FROM it.
	root       *Stage
	depth      int
	usedAsBase bool
	inherited  bool
	linked     bool
}

// ImageRef is a parsed image reference.
type ImageRef struct {
	// Raw is the reference after ARG expansion.
	Raw        string
	Registry   string // "" for Docker Hub
	Repository string // e.g. "library/python" is reported as "python"
	Tag        string
	Digest     string
	// Scratch is true for the empty "scratch" base.
	Scratch bool
	// Unresolved is true when an ARG in the reference had no value.
	Unresolved bool
}

// String returns the reference as written after expansion.
func (r ImageRef) String() string { return r.Raw }

// Name returns the last path element of the repository ("python" for
// "docker.io/library/python").
func (r ImageRef) Name() string {
	if i := strings.LastIndex(r.Repository, "/"); i >= 0 {
		return r.Repository[i+1:]
	}
	return r.Repository
}

// ParseImageRef splits an image reference into its parts. It does not
// validate; malformed parts are kept as written.
func ParseImageRef(s string) ImageRef {
	r := ImageRef{Raw: s}
	if strings.EqualFold(s, "scratch") {
		r.Scratch = true
		r.Repository = "scratch"
		return r
	}
	rest := s
	if i := strings.Index(rest, "@"); i >= 0 {
		r.Digest = rest[i+1:]
		rest = rest[:i]
	}
	// A tag follows the last colon that comes after the last slash.
	if i := strings.LastIndex(rest, ":"); i >= 0 && i > strings.LastIndex(rest, "/") {
		r.Tag = rest[i+1:]
		rest = rest[:i]
	}
	if i := strings.Index(rest, "/"); i >= 0 {
		first := rest[:i]
		if strings.ContainsAny(first, ".:") || first == "localhost" {
			r.Registry = first
			rest = rest[i+1:]
		}
	}
	if r.Registry == "docker.io" || r.Registry == "index.docker.io" || r.Registry == "registry-1.docker.io" {
		r.Registry = ""
	}
	r.Repository = strings.TrimPrefix(rest, "library/")
	return r
}

// FinalStage returns the last stage, the one a plain build produces.
func (f *File) FinalStage() *Stage {
	if len(f.Stages) == 0 {
		return nil
	}
	return f.Stages[len(f.Stages)-1]
}

// StageByRef finds the stage a FROM, COPY --from or --mount from= names:
// by name (case-insensitive) or by index. It only looks at stages before
// the one given by before (pass len(f.Stages) to search all).
func (f *File) StageByRef(ref string, before int) *Stage {
	if ref == "" {
		return nil
	}
	if n, err := strconv.Atoi(ref); err == nil {
		if n >= 0 && n < before && n < len(f.Stages) {
			return f.Stages[n]
		}
		return nil
	}
	if f.stageNames != nil {
		if i, ok := f.stageNames[foldName(ref)]; ok && i < before && i < len(f.Stages) {
			return f.Stages[i]
		}
		return nil
	}
	for i := 0; i < before && i < len(f.Stages); i++ {
		if f.Stages[i].Name != "" && strings.EqualFold(f.Stages[i].Name, ref) {
			return f.Stages[i]
		}
	}
	return nil
}

// foldName returns a key equal for two names exactly when
// strings.EqualFold says they are equal: every rune replaced by the
// smallest rune of its case-folding orbit.
func foldName(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(s) // an ASCII letter's orbit starts with its capital
	}
	return strings.Map(func(r rune) rune {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < m {
				m = f
			}
		}
		return m
	}, s)
}

// IsFinal reports whether s is the final stage.
func (f *File) IsFinal(s *Stage) bool { return s != nil && s == f.FinalStage() }

// Inherited reports whether the content of stage s ends up in the final
// image's filesystem as a whole: s is the final stage or a stage the
// final stage is built FROM, directly or through other stages. Stages
// only read with COPY --from do not count: what they leave behind is not
// shipped.
func (f *File) Inherited(s *Stage) bool {
	if s == nil {
		return false
	}
	if s.linked && f.linked(s) {
		return s.inherited
	}
	for cur := f.FinalStage(); cur != nil; cur = cur.BaseStage {
		if cur == s {
			return true
		}
	}
	return false
}

// UsedAsBase reports whether a later stage is built FROM s.
func (f *File) UsedAsBase(s *Stage) bool {
	if s != nil && s.linked && f.linked(s) {
		return s.usedAsBase
	}
	for _, o := range f.Stages {
		if o.BaseStage == s {
			return true
		}
	}
	return false
}

// linked reports whether s is one of f's stages as Parse linked them.
func (f *File) linked(s *Stage) bool {
	return s.Index >= 0 && s.Index < len(f.Stages) && f.Stages[s.Index] == s
}

// Root returns the first stage of st's chain: st itself when it is built
// FROM an image, else the root of the stage it is built FROM.
func (st *Stage) Root() *Stage {
	if st.linked {
		return st.root
	}
	chain := st.Chain()
	return chain[len(chain)-1]
}

// Depth returns how many stages st's chain holds above st (0 for a stage
// built FROM an image).
func (st *Stage) Depth() int {
	if st.linked {
		return st.depth
	}
	return len(st.Chain()) - 1
}

// link computes the graph fields of every stage in one pass: a stage's
// base always comes earlier in the file, so its fields are known first.
func (f *File) link() {
	for _, st := range f.Stages {
		st.root, st.depth = st, 0
		if b := st.BaseStage; b != nil && b.Index < st.Index {
			st.root, st.depth = b.root, b.depth+1
			b.usedAsBase = true
		}
		st.linked = true
	}
	for cur := f.FinalStage(); cur != nil; cur = cur.BaseStage {
		cur.inherited = true
		if cur.BaseStage != nil && cur.BaseStage.Index >= cur.Index {
			break
		}
	}
}

// buildStages groups instructions into stages, tracks SHELL, expands
// FROM arguments and links the stage graph.
func (f *File) buildStages() error {
	var cur *Stage
	var shell []string
	globals := map[string]string{}
	endShell := map[*Stage][]string{}
	f.stageNames = map[string]int{}
	for _, in := range f.Instructions {
		if in.Cmd == "from" {
			cur = &Stage{Index: len(f.Stages), From: in}
			f.Stages = append(f.Stages, cur)
			shell = DefaultShell()
			cur.Platform, _ = in.Flag("platform")
			if len(in.Args) > 0 {
				cur.BaseRaw = in.Args[0]
			}
			if len(in.Args) >= 3 && strings.EqualFold(in.Args[1], "as") {
				cur.Name = in.Args[2]
			}
			expanded, unresolved := ExpandArgs(cur.BaseRaw, func(name string) (string, bool) {
				v, ok := globals[name]
				return v, ok
			})
			cur.Base = ParseImageRef(expanded)
			cur.Base.Unresolved = unresolved
			if st := f.StageByRef(expanded, cur.Index); st != nil && !isDigitString(expanded) {
				cur.BaseStage = st
				// A stage built FROM another keeps that stage's SHELL.
				shell = append([]string{}, endShell[st]...)
			}
			if cur.Name != "" {
				if _, dup := f.stageNames[foldName(cur.Name)]; !dup {
					f.stageNames[foldName(cur.Name)] = cur.Index
				}
			}
		}
		if cur == nil {
			if in.Cmd == "arg" {
				f.GlobalArgs = append(f.GlobalArgs, in)
				for _, kv := range argPairs(in) {
					v, _ := ExpandArgs(kv[1], func(name string) (string, bool) {
						v, ok := globals[name]
						return v, ok
					})
					globals[kv[0]] = v
				}
			}
			continue
		}
		in.Stage = cur
		cur.Instructions = append(cur.Instructions, in)
		if in.Cmd == "shell" && in.JSON {
			shell = append([]string{}, in.Args...)
		}
		endShell[cur] = shell
		in.Shell = shell
		if in.Trigger != nil {
			in.Trigger.Stage = cur
			in.Trigger.Shell = shell
		}
	}
	f.link()
	f.setWorkdirs()
	for _, st := range f.Stages {
		for _, in := range st.Instructions {
			for _, r := range in.FromRefs() {
				if src := f.StageByRef(r, st.Index); src != nil {
					st.CopiesFrom = append(st.CopiesFrom, src)
				}
			}
		}
	}
	return nil
}

func isDigitString(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// argPairs returns the name and default value of each ARG declaration in
// the instruction (an ARG without a default yields "").
func argPairs(in *Instruction) [][2]string {
	var out [][2]string
	for _, a := range in.Args {
		k, v, _ := strings.Cut(a, "=")
		out = append(out, [2]string{k, unquote(v)})
	}
	return out
}

// ArgNames returns the names an ARG instruction declares.
func (in *Instruction) ArgNames() []string {
	var out []string
	for _, kv := range argPairs(in) {
		out = append(out, kv[0])
	}
	return out
}

// KeyValues returns the key/value pairs of an ENV or LABEL instruction.
func (in *Instruction) KeyValues() [][2]string {
	var out [][2]string
	for i := 0; i+1 < len(in.Args); i += 3 {
		out = append(out, [2]string{in.Args[i], unquote(in.Args[i+1])})
	}
	return out
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		if s[0] == '"' {
			var out string
			if err := json.Unmarshal([]byte(s), &out); err == nil {
				return out
			}
		}
		return s[1 : len(s)-1]
	}
	return s
}

// ExpandArgs substitutes $NAME, ${NAME}, ${NAME:-default},
// ${NAME-default}, ${NAME:+alt} and ${NAME+alt} in s using lookup. It
// reports whether any variable had no value and no default. A result
// that would pass MaxExpandedValue bytes is cut there and reported as
// unresolved (Parse refuses the files that could get there).
func ExpandArgs(s string, lookup func(string) (string, bool)) (string, bool) {
	if !strings.Contains(s, "$") {
		return s, false
	}
	var b strings.Builder
	unresolved := false
	for i := 0; i < len(s); {
		if b.Len() > MaxExpandedValue {
			return b.String()[:MaxExpandedValue], true
		}
		c := s[i]
		if c != '$' || i+1 >= len(s) {
			b.WriteByte(c)
			i++
			continue
		}
		if s[i+1] == '{' {
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				b.WriteString(s[i:])
				break
			}
			expr := s[i+2 : i+2+end]
			i += end + 3
			name, op, word := splitParam(expr)
			val, ok := lookup(name)
			set := ok
			nonEmpty := ok && val != ""
			switch op {
			case ":-":
				if !nonEmpty {
					val = word
				}
			case "-":
				if !set {
					val = word
				}
			case ":+":
				if nonEmpty {
					val = word
				} else {
					val = ""
				}
			case "+":
				if set {
					val = word
				} else {
					val = ""
				}
			default:
				if !set {
					unresolved = true
				}
			}
			b.WriteString(val)
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || j > i+1 && s[j] >= '0' && s[j] <= '9') {
			j++
		}
		if j == i+1 {
			b.WriteByte(c)
			i++
			continue
		}
		val, ok := lookup(s[i+1 : j])
		if !ok {
			unresolved = true
		}
		b.WriteString(val)
		i = j
	}
	if b.Len() > MaxExpandedValue {
		return b.String()[:MaxExpandedValue], true
	}
	return b.String(), unresolved
}

func splitParam(expr string) (name, op, word string) {
	for k, c := range expr {
		if c == ':' || c == '-' || c == '+' {
			name = expr[:k]
			rest := expr[k:]
			for _, o := range []string{":-", ":+", "-", "+"} {
				if strings.HasPrefix(rest, o) {
					return name, o, rest[len(o):]
				}
			}
			return name, "", ""
		}
	}
	return expr, "", ""
}

// FromRefs returns what the instruction reads from another stage or
// image, as written: the --from of a COPY or ADD and the from= of its
// RUN --mount options.
func (in *Instruction) FromRefs() []string {
	var refs []string
	if in.Cmd == "copy" || in.Cmd == "add" {
		if v, ok := in.Flag("from"); ok {
			refs = append(refs, v)
		}
	}
	for _, m := range in.Mounts() {
		if m.From != "" {
			refs = append(refs, m.From)
		}
	}
	return refs
}
