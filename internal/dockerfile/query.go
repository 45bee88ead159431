package dockerfile

import (
	"path"
	"slices"
	"strings"
)

// Questions about the model that the rules (which judge a Dockerfile) and
// the fix planners (which rewrite it) both ask.

// Chain returns st followed by the earlier stages it is built FROM,
// nearest first.
func (st *Stage) Chain() []*Stage {
	var out []*Stage
	if st != nil && st.linked {
		out = make([]*Stage, 0, st.depth+1)
	}
	// A base stage always comes earlier in the file (Parse links it so),
	// which also ends the walk on a graph linked by hand in a loop.
	for cur := st; cur != nil; cur = cur.BaseStage {
		out = append(out, cur)
		if cur.BaseStage != nil && cur.BaseStage.Index >= cur.Index {
			break
		}
	}
	return out
}

// Workdir returns the absolute WORKDIR in force at in, following the
// stage's WORKDIRs (and its base stages'); "" when unknown (a WORKDIR
// given by a variable, or an instruction outside any stage). For an
// ONBUILD trigger it is the WORKDIR at the end of its stage.
func (in *Instruction) Workdir() string {
	if in.workdirSet {
		return in.workdir
	}
	st := in.Stage
	if st == nil {
		return ""
	}
	chain := st.Chain()
	wd := "/"
	for k := len(chain) - 1; k >= 0; k-- {
		for _, i := range chain[k].Instructions {
			if i == in {
				return wd
			}
			wd = nextWorkdir(wd, i)
		}
	}
	return wd
}

// nextWorkdir returns the WORKDIR in force after in when wd was in force
// before it.
func nextWorkdir(wd string, in *Instruction) string {
	if in.Cmd != "workdir" || len(in.Args) == 0 {
		return wd
	}
	dir := TrimQuotes(in.Args[0]) // WORKDIR "/app" is /app
	switch {
	case strings.Contains(dir, "$"):
		return ""
	case path.IsAbs(dir):
		return path.Clean(dir)
	case wd != "":
		return path.Join(wd, dir)
	}
	return wd
}

// setWorkdirs records the WORKDIR in force at every instruction in one
// pass over the stages (a stage starts with the WORKDIR its base stage
// ends with).
func (f *File) setWorkdirs() {
	end := make(map[*Stage]string, len(f.Stages))
	for _, st := range f.Stages {
		wd := "/"
		if b := st.BaseStage; b != nil && b.Index < st.Index {
			wd = end[b]
		}
		for _, in := range st.Instructions {
			in.workdir, in.workdirSet = wd, true
			wd = nextWorkdir(wd, in)
		}
		for _, in := range st.Instructions {
			if in.Trigger != nil {
				in.Trigger.workdir, in.Trigger.workdirSet = wd, true
			}
		}
		end[st] = wd
	}
}

// Pairs returns the key/value pairs of an ENV or LABEL instruction with
// the quotes around keys and values removed.
func (in *Instruction) Pairs() [][2]string {
	kvs := in.KeyValues()
	out := make([][2]string, 0, len(kvs))
	for _, kv := range kvs {
		k := kv[0]
		if len(k) >= 2 && (k[0] == '"' && k[len(k)-1] == '"' || k[0] == '\'' && k[len(k)-1] == '\'') {
			k = k[1 : len(k)-1]
		}
		out = append(out, [2]string{k, kv[1]})
	}
	return out
}

// SameFlags reports whether in and o carry the same flags, in any order.
func (in *Instruction) SameFlags(o *Instruction) bool {
	a, b := slices.Clone(in.Flags), slices.Clone(o.Flags)
	slices.Sort(a)
	slices.Sort(b)
	return strings.Join(a, "\x00") == strings.Join(b, "\x00")
}

// TrimQuotes removes the quote characters around a word as written
// ("'/app'" becomes "/app").
func TrimQuotes(s string) string {
	return strings.Trim(s, `"'`)
}

// HasVariable reports whether s refers to a build argument or environment
// variable, so that its value cannot be judged statically.
func HasVariable(s string) bool { return strings.Contains(s, "$") }

// IsContextSource reports whether a COPY or ADD source names the whole
// build context ("." or "./" or "*").
func IsContextSource(src string) bool {
	s := strings.TrimSpace(src)
	return s == "." || s == "./" || s == "*" || s == "./*" || s == "/"
}

// ResolvePath makes p, a path written in an instruction, absolute against
// the directory dir. It returns "" when it cannot: p is empty or holds a
// variable, or p is relative and dir is unknown ("").
func ResolvePath(dir, p string) string {
	if p == "" || HasVariable(p) {
		return ""
	}
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	if dir == "" {
		return ""
	}
	return path.Join(dir, p)
}

// User returns the user a USER instruction sets, as written, quotes
// removed ("app", "10001:10001").
func (in *Instruction) User() string {
	return TrimQuotes(strings.Join(in.Args, " "))
}

// IsRootUser reports whether a USER value names root ("root", "0",
// "root:root", "0:0").
func IsRootUser(v string) bool {
	user, _, _ := strings.Cut(strings.TrimSpace(v), ":")
	return user == "root" || user == "0"
}
