package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/containerd/platforms"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/moby/sys/signal"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// DL1000 reports what makes BuildKit refuse to build the Dockerfile: the
// errors `docker build` (and `docker build --check`) stops on, with their
// line. hadolint reports the Dockerfiles its parser cannot read under the
// same code.
var DL1000 = &Rule{
	ID:       "DL1000",
	Name:     "build-error",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "BuildKit cannot build this Dockerfile: the build fails on this line.",
		Why: "Docker parses the whole Dockerfile before it builds anything, and stops at the first " +
			"instruction it cannot use: an unknown instruction (often a typo or template syntax " +
			"such as {{ }}), a flag without its = (COPY --from build), an unknown flag, a wrong " +
			"number of arguments, a bad stage name, an image name that is not one (FROM REPLACE-ME), " +
			"COPY --from with a variable, a stage index that does not exist or a stage defined " +
			"later in the file, and values it cannot use (STOPSIGNAL, an empty VOLUME, an ADD " +
			"--checksum). The message is BuildKit's. Unlike BuildKit, strata goes on linting " +
			"after the first error, so that one run shows every problem. An instruction before " +
			"the first FROM (DL3061), FROM, MAINTAINER or ONBUILD as an ONBUILD trigger (DL3043), " +
			"COPY --from the stage itself (DL3023) and an invalid EXPOSE port (DL3011) are " +
			"reported by those rules. Errors that depend on build arguments " +
			"(a FROM whose image is empty or invalid with the default values) are warnings " +
			"(InvalidDefaultArgInFrom), since --build-arg can supply the values. A file BuildKit's " +
			"parser cannot read at all (an unterminated heredoc, ENV without a value) is an " +
			"input error: strata names it and exits with status 2.",
		Bad:  "FROM golang:1.23 AS build\nFROM alpine:3.21\nCOPY --from build /out/app /app",
		Good: "FROM golang:1.23 AS build\nFROM alpine:3.21\nCOPY --from=build /out/app /app",
	},
	Check: func(p *Pass) error {
		errs := bkBuildErrors(p.File, bkScopes(p))
		if len(errs) == 0 {
			return nil
		}
		// BuildKit stops at its first error: report that one, and how
		// many more there are, so that a template does not flood the
		// output.
		first := errs[0]
		msg := first.msg
		if rest := errs[1:]; len(rest) > 0 {
			var lines []int
			seen := map[int]bool{}
			for _, e := range rest {
				if !seen[e.line] {
					seen[e.line] = true
					lines = append(lines, e.line)
				}
			}
			sort.Ints(lines)
			more := ""
			if len(lines) > 5 {
				lines, more = lines[:5], ", ..."
			}
			msg += fmt.Sprintf(" (BuildKit stops here; %d more %s after it, on line %s%s)",
				len(rest), plural(len(rest), "error", "errors"), bkJoinInts(lines), more)
		}
		if first.in != nil {
			p.Report(first.in, "%s", msg)
		} else {
			p.ReportAt(first.line, first.line, 0, "%s", msg)
		}
		return nil
	},
}

// bkBuildError is one error BuildKit stops on.
type bkBuildError struct {
	phase int // when BuildKit meets it (see bkBuildErrors)
	in    *dockerfile.Instruction
	line  int
	msg   string
}

// bkBuildErrors returns the errors BuildKit would stop on, in the order
// it meets them: the check directive, then each instruction it cannot
// parse (DL3043's excepted), then --from values that name no stage, then
// the base images and inherited ONBUILD triggers, then, stage by stage,
// the instructions it cannot dispatch.
func bkBuildErrors(f *dockerfile.File, t *bkTrace) []bkBuildError {
	var out []bkBuildError
	add := func(phase int, in *dockerfile.Instruction, msg string) {
		out = append(out, bkBuildError{phase: phase, in: in, line: in.StartLine, msg: msg})
	}
	for _, d := range f.Directives {
		if d.Name != "check" {
			continue
		}
		if _, err := linter.ParseLintOptions(d.Value); err != nil {
			out = append(out, bkBuildError{phase: 0, line: d.Line, msg: "failed to parse check options: " + err.Error()})
		}
	}
	for _, in := range f.Instructions {
		if in.TypedErr != nil && !dl3043Trigger(in) {
			add(2, in, bkBuildErrorText(in))
		}
	}
	g := t.globals
	for _, st := range f.Stages {
		if msg := bkPlatformError(st); msg != "" {
			add(5, st.From, msg)
		}
		if msg := bkBaseNameError(f, g, st); msg != "" {
			add(7, st.From, msg)
		}
	}
	for _, s := range t.steps {
		step := s.bkStep
		if step.trigger() && step.in.TypedErr != nil {
			add(7, step.at, bkBuildErrorText(step.in))
		}
		if msg, phase := bkGraphError(f, step.stage, step.in); msg != "" {
			add(phase, step.at, msg)
		}
		if msg := bkValueError(step.in, s.sc); msg != "" {
			add(8, step.at, msg)
		}
	}
	// A word BuildKit cannot expand fails the instruction before it is
	// dispatched.
	for _, u := range t.undef {
		if u.fail != "" {
			add(8, u.in, u.fail)
		}
	}
	// Stage by stage, instruction by instruction: in the order of the
	// lines (an inherited trigger is at its stage's FROM).
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].phase != out[j].phase {
			return out[i].phase < out[j].phase
		}
		return out[i].phase == 8 && out[i].line < out[j].line
	})
	return out
}

// dl3043Trigger reports whether in is an ONBUILD whose trigger DL3043
// reports (FROM, MAINTAINER or ONBUILD).
func dl3043Trigger(in *dockerfile.Instruction) bool {
	if in.Trigger == nil {
		return false
	}
	switch in.Trigger.Cmd {
	case "onbuild", "from", "maintainer":
		return true
	}
	return false
}

// bkBuildErrorText is BuildKit's message for an instruction it cannot
// parse, without its location.
func bkBuildErrorText(in *dockerfile.Instruction) string {
	msg := in.TypedErr.Error()
	if strings.HasPrefix(in.Keyword, "{{") || strings.HasPrefix(in.Keyword, "{%") {
		msg += " (template syntax: lint the Dockerfile the template renders)"
	}
	return msg
}

// bkGraphError returns BuildKit's error for an instruction that reads
// from a stage it cannot read from, and the phase BuildKit meets it in:
// COPY --from with a variable or with a stage index that does not exist
// (6, when it links the stages), or naming a stage defined later, RUN
// --mount from= likewise (8, when it dispatches); "" when there is none.
func bkGraphError(f *dockerfile.File, st *dockerfile.Stage, in *dockerfile.Instruction) (string, int) {
	if c, ok := in.Typed.(*instructions.CopyCommand); ok && c.From != "" {
		res, err := shell.NewLex(f.Escape).ProcessWordWithMatches(c.From, shell.EnvsFromSlice(nil))
		if err != nil || res.Result != c.From {
			return "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround", 6
		}
		var src *dockerfile.Stage
		if n, err := strconv.Atoi(c.From); err == nil {
			if n < 0 || n >= len(f.Stages) {
				return fmt.Sprintf("invalid stage index %d", n), 6
			}
			src = f.Stages[n]
		} else {
			src = bkStageNamed(f, c.From)
		}
		if src != nil && src.Index > st.Index {
			return fmt.Sprintf("cannot copy from stage %q, it needs to be defined before current stage %q", c.From, bkStageName(f, st)), 8
		}
	}
	if in.Cmd == "run" {
		for _, m := range in.Mounts() {
			if src := bkStageNamed(f, m.From); m.From != "" && src != nil && src.Index > st.Index {
				return fmt.Sprintf("cannot mount from stage %q to %q, stage needs to be defined before current command", m.From, m.Target), 8
			}
		}
	}
	return "", 0
}

// bkBaseNameError returns BuildKit's error for a FROM whose image, written
// without variables, is no valid image reference (a placeholder such as
// REPLACE-ME, an upper-case name); "" otherwise. With variables the name
// depends on build arguments: InvalidDefaultArgInFrom warns about the
// default values.
func bkBaseNameError(f *dockerfile.File, g *bkGlobals, st *dockerfile.Stage) string {
	base := st.BaseRaw
	if base == "" || base == "scratch" || strings.Contains(base, "$") || bkBaseStage(f, g, st) != nil {
		return ""
	}
	if err := dockerfile.CheckImageName(base); err != nil {
		return fmt.Sprintf("failed to parse stage name %q: %v", base, err)
	}
	return ""
}

// bkPlatformError returns BuildKit's error for a FROM --platform written
// as a constant that names no platform (--platform=widget); "" when there
// is none or the value reads a variable, which build arguments may set
// (UndefinedArgInFrom and InvalidDefaultArgInFrom judge those).
func bkPlatformError(st *dockerfile.Stage) string {
	c, ok := st.From.Typed.(*instructions.Stage)
	if !ok || c.Platform == "" || strings.Contains(c.Platform, "$") {
		return ""
	}
	if _, err := platforms.Parse(c.Platform); err != nil {
		return fmt.Sprintf("failed to parse platform %s: %v", c.Platform, err)
	}
	return ""
}

// bkStageName is a stage's name in BuildKit's messages.
func bkStageName(f *dockerfile.File, st *dockerfile.Stage) string {
	switch {
	case st.Name != "":
		return strings.ToLower(st.Name)
	case len(f.Stages) == 1:
		return ""
	}
	return fmt.Sprintf("stage-%d", st.Index)
}

// bkValueError returns BuildKit's error for an instruction whose value,
// known for certain after expansion, it cannot use: an invalid
// STOPSIGNAL, an empty VOLUME, an ADD --checksum that is no digest or is
// given for local files; "" otherwise.
func bkValueError(in *dockerfile.Instruction, sc *bkScope) string {
	switch c := in.Typed.(type) {
	case *instructions.StopSignalCommand:
		v, _, certain := sc.word(sc.lex, c.Signal)
		if _, err := signal.ParseSignal(v); certain && err != nil {
			return err.Error()
		}
	case *instructions.VolumeCommand:
		for _, w := range c.Volumes {
			if v, _, certain := sc.word(sc.lex, w); certain && v == "" {
				return "VOLUME specified can not be an empty string"
			}
		}
	case *instructions.ExposeCommand:
		// DL3011 reports the ports written wrong; this reports those
		// that are wrong once expanded.
		for _, raw := range c.Ports {
			words, certain := sc.words(raw)
			if !certain || exposePortProblem(raw) != "" {
				continue
			}
			for _, w := range words {
				if e, valid := bkParseExposed(w); e == nil || !valid {
					return fmt.Sprintf("invalid port %q in EXPOSE", w)
				}
			}
		}
	case *instructions.AddCommand:
		sum, _, certain := sc.word(sc.lex, c.Checksum)
		if c.Checksum == "" || !certain || sum == "" {
			return ""
		}
		if len(c.SourcePaths) > 1 {
			return "checksum can't be specified for multiple sources"
		}
		for _, s := range c.SourcePaths {
			v, _, certain := sc.word(sc.lex, s)
			if !certain {
				return ""
			}
			if !bkIsRemoteSource(v) {
				return "checksum requires HTTP(S) or Git sources"
			}
			if err := dockerfile.CheckDigest(sum); err != nil && strings.Contains(v, "://") {
				return err.Error()
			}
		}
	}
	return ""
}
