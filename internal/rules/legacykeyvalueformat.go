package rules

import (
	"strings"
	"unicode"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// LegacyKeyValueFormat reports "ENV key value" and "LABEL key value".
var LegacyKeyValueFormat = &Rule{
	ID:       "LegacyKeyValueFormat",
	Name:     "legacy-key-value-format",
	Severity: vocab.Warning,
	Category: vocab.StyleCat,
	Doc: Doc{
		Summary: "ENV and LABEL should be written key=value, not in the legacy `key value` form.",
		Why: "In the legacy form everything after the first space is the value, so " +
			"`ENV A 1 B 2` sets A to `1 B 2` rather than two variables. The form is deprecated; " +
			"key=value says where the value ends and allows several pairs in one instruction.",
		Bad:  "ENV APP_HOME /srv/app\nLABEL maintainer team@example.com",
		Good: "ENV APP_HOME=/srv/app\nLABEL maintainer=team@example.com",
	},
	Check: func(p *Pass) error {
		// An inherited ONBUILD trigger is reported at the FROM of the
		// stage that runs it, without a fix.
		bkEachScope(p, func(s bkStep, _ *bkScope) {
			var pairs instructions.KeyValuePairs
			switch c := s.in.Typed.(type) {
			case *instructions.EnvCommand:
				pairs = c.Env
			case *instructions.LabelCommand:
				pairs = c.Labels
			default:
				return
			}
			name := strings.ToUpper(s.in.Cmd)
			for _, kv := range pairs {
				if !kv.NoDelim {
					continue
				}
				var fix *edit.Fix
				if !s.trigger() {
					fix = bkLegacyKVFix(p.File, s.in, kv)
				}
				p.ReportFix(s.at, fix, "\"%s key=value\" should be used instead of legacy \"%s key value\" format", name, name)
			}
		})
		return nil
	},
}

// bkLegacyKVFix rewrites a one-line "KEY name value" as "KEY name=value",
// quoting the value when it holds spaces. It gives up when the value
// holds quotes or the escape character, whose meaning could change.
func bkLegacyKVFix(f *dockerfile.File, in *dockerfile.Instruction, kv instructions.KeyValuePair) *edit.Fix {
	if in.StartLine != in.EndLine || len(in.Flags) > 0 || in.StartLine > len(f.Lines) {
		return edit.Decline("the instruction spans several lines")
	}
	line := f.Lines[in.StartLine-1]
	i := in.Column - 1 + len(in.Keyword)
	if i > len(line) || !strings.EqualFold(line[in.Column-1:i], in.Keyword) {
		return edit.Decline("the instruction's text cannot be located")
	}
	isSpace := func(b byte) bool { return b == ' ' || b == '\t' }
	for i < len(line) && isSpace(line[i]) {
		i++
	}
	keyStart := i
	for i < len(line) && !isSpace(line[i]) {
		i++
	}
	keyEnd := i
	for i < len(line) && isSpace(line[i]) {
		i++
	}
	valStart := i
	value := strings.TrimRightFunc(line[valStart:], unicode.IsSpace)
	if line[keyStart:keyEnd] != kv.Key || value != kv.Value || value == "" {
		return edit.Decline("the pair cannot be located in the line (several pairs, or a comment after it)")
	}
	base := f.Offset(in.StartLine, 1)
	if q := value[0]; (q == '"' || q == '\'') && len(value) >= 2 && value[len(value)-1] == q &&
		!strings.ContainsAny(value[1:len(value)-1], `"'`+string(f.Escape)) {
		// One quoted word: the quotes are taken off alike in both forms.
		return &edit.Fix{Message: "write " + kv.Key + "=" + value, Edits: []edit.TextEdit{{Pos: base + keyEnd, End: base + valStart, NewText: "="}}}
	}
	if strings.ContainsAny(value, `"'`+string(f.Escape)) {
		return edit.Decline("the value mixes quotes or holds the escape character, whose meaning could change")
	}
	repl := "="
	edits := []edit.TextEdit{}
	if strings.ContainsAny(value, " \t") {
		repl = `="`
		edits = append(edits, edit.TextEdit{Pos: base + valStart + len(value), End: base + valStart + len(value), NewText: `"`})
	}
	edits = append([]edit.TextEdit{{Pos: base + keyEnd, End: base + valStart, NewText: repl}}, edits...)
	shown := value
	if repl != "=" {
		shown = `"` + value + `"`
	}
	return &edit.Fix{Message: "write " + kv.Key + "=" + shown, Edits: edits}
}
