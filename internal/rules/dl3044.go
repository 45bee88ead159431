package rules

import (
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/pmap"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3044 reports ENV values that refer to a variable the same ENV defines.
var DL3044 = &Rule{
	ID:       "DL3044",
	Name:     "env-self-reference",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Do not refer to an environment variable within the same ENV statement where it is defined.",
		Why: "All values of one ENV are expanded before any of its variables is set, so a value " +
			"that uses a variable defined in the same ENV gets its old value (usually empty), not " +
			"the new one. Split the ENV in two. A variable that was already defined by an earlier " +
			"ENV or ARG of the stage (or of the stage it is built FROM), and a variable used in " +
			"its own value such as PATH=/x:$PATH, are fine.",
		Bad:  "ENV APP_HOME=/srv/app APP_BIN=$APP_HOME/bin",
		Good: "ENV APP_HOME=/srv/app\nENV APP_BIN=$APP_HOME/bin",
	},
	Check: func(p *Pass) error {
		esc := byte(p.File.Escape)
		// Variables defined at the end of each stage, for the stages
		// built FROM it (persistent maps: a chain of stages costs linear
		// time).
		atEnd := map[*dockerfile.Stage]*pmap.Layer[bool]{}
		for _, st := range stagesWithPrelude(p) {
			defined := &pmap.Layer[bool]{}
			if b := atEnd[st.BaseStage]; b != nil {
				defined = b.Fork()
			}
			for _, in := range st.Instructions {
				if in.Cmd == "env" {
					names, raws := envPairs(in)
					var bad []string
					for i, n := range names {
						if defined.Has(n) {
							continue
						}
						for j, raw := range raws {
							if j != i && refersTo(raw, n, esc) {
								bad = append(bad, n)
								break
							}
						}
					}
					if len(bad) > 0 {
						p.Report(in, "%s uses %s, defined in the same %s: the old value is used; split it into two %s instructions",
							in.Keyword, quoteList(bad), in.Keyword, in.Keyword)
					}
				}
				defineVars(in, defined)
			}
			atEnd[st] = defined
		}
		return nil
	},
}

// refersTo reports whether the ENV value text (as written) expands the
// variable name: $name not followed by a name character, or ${name...}.
// Escaped dollars and single-quoted values do not expand.
func refersTo(raw, name string, escape byte) bool {
	if len(raw) >= 2 && raw[0] == '\'' && raw[len(raw)-1] == '\'' {
		return false
	}
	isNameChar := func(c byte) bool {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] == escape {
			i++ // skip the escaped character
			continue
		}
		if raw[i] != '$' {
			continue
		}
		rest := raw[i+1:]
		if strings.HasPrefix(rest, "{") {
			rest = rest[1:]
			if strings.HasPrefix(rest, name) && len(rest) > len(name) && strings.ContainsRune("}:-+?", rune(rest[len(name)])) {
				return true
			}
			continue
		}
		if strings.HasPrefix(rest, name) && (len(rest) == len(name) || !isNameChar(rest[len(name)])) {
			return true
		}
	}
	return false
}

// envPairs returns the names and raw (quoted as written) values of an
// ENV instruction.
func envPairs(in *dockerfile.Instruction) (names, raws []string) {
	for i, kv := range in.Pairs() {
		names = append(names, kv[0])
		raws = append(raws, in.Args[3*i+1])
	}
	return names, raws
}

func defineVars(in *dockerfile.Instruction, defined *pmap.Layer[bool]) {
	switch in.Cmd {
	case "env":
		names, _ := envPairs(in)
		for _, n := range names {
			defined.Set(n, true)
		}
	case "arg":
		for _, n := range in.ArgNames() {
			defined.Set(n, true)
		}
	}
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("$%s", x)
	}
	return strings.Join(q, ", ")
}
