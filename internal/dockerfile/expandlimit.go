package dockerfile

import (
	"fmt"
	"strings"
)

// Limits on ARG and ENV expansion. Each ARG or ENV value may name other
// variables, so a few lines can stand for an exponential amount of text
// (ARG A1=$A0$A0$A0..., ARG A2=$A1$A1$A1..., ...): expanding them
// would take time and memory without bound. Parse refuses a file whose
// expansion could go past these limits, naming the line, before any
// analysis expands anything; every expansion strata makes afterwards is
// then bounded, and all of them together cost time linear in the file's
// size plus ExpansionBudget.
const (
	// MaxExpandedValue is the most bytes one ARG or ENV value, or the
	// text of one instruction, may expand to.
	MaxExpandedValue = 1 << 20
	// ExpansionBudget is the most bytes that expansion may add to the
	// file's text in all: the sum over the ARG and ENV values and over
	// the instructions of what their expansions add to their text.
	ExpansionBudget = 16 << 20
)

// expansionLimitErr describes what went past a limit.
func expansionLimitErr(what string, limit int) error {
	return fmt.Errorf("%s could expand to more than %s: strata does not expand variables that far (they name each other over and over)", what, sizeText(limit))
}

func sizeText(n int) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// checkExpansion bounds, in one pass and without expanding anything, the
// size every ARG and ENV value and every instruction can reach once
// variables are substituted: a reference to a variable counts the
// longest value any earlier ARG or ENV of that name can have (whatever
// its scope, so the bound holds for every stage), a ${NAME/pattern/text}
// replacement the value's length times the replacement's. It returns an
// error naming the first line past a limit.
func (f *File) checkExpansion() *ParseError {
	longest := map[string]int64{}
	var added int64
	over := func(in *Instruction, what string, limit int) *ParseError {
		return &ParseError{Path: f.Path, Line: in.StartLine, Err: expansionLimitErr(what, limit)}
	}
	grow := func(in *Instruction, what string, texts ...string) (int64, *ParseError) {
		var b, n int64
		for _, t := range texts {
			n += int64(len(t))
			if strings.IndexByte(t, '$') < 0 {
				b += int64(len(t))
				continue
			}
			b += expansionBound(t, longest)
		}
		if b > MaxExpandedValue {
			return b, over(in, what, MaxExpandedValue)
		}
		added += b - n
		if added > ExpansionBudget {
			return b, over(in, "the variables of the instructions up to this one", ExpansionBudget)
		}
		return b, nil
	}
	for _, top := range f.Instructions {
		in := top
		if in.Trigger != nil {
			in = in.Trigger
		}
		var defs [][2]string
		switch {
		case top.Trigger != nil:
			// An ONBUILD's variables belong to a later build: its text
			// counts, its definitions do not.
		case in.Cmd == "arg":
			defs = argPairs(in)
		case in.Cmd == "env":
			defs = in.KeyValues()
		}
		if defs != nil {
			for _, kv := range defs {
				name := fmt.Sprintf("%s %s", strings.ToUpper(in.Cmd), kv[0])
				if _, err := grow(top, name, kv[0]); err != nil {
					return err
				}
				b, err := grow(top, name, kv[1])
				if err != nil {
					return err
				}
				if b > longest[kv[0]] {
					longest[kv[0]] = b
				}
			}
			continue
		}
		texts := []string{top.Original}
		for _, h := range in.Heredocs {
			texts = append(texts, h.Content)
		}
		if _, err := grow(top, top.Keyword+" on this line", texts...); err != nil {
			return err
		}
	}
	return nil
}

// expansionBound returns an upper bound of the length of s once its
// variables are substituted, given the longest value of each variable.
// Values unknown to longest count as empty: strata never learns them.
// The text of a reference counts too, since an expansion may keep it
// (ExpandArgs keeps a reference inside a default word as written). It
// reads s once, keeping a stack of the ${...} it is inside.
func expansionBound(s string, longest map[string]int64) int64 {
	const ceiling = 1 << 40 // well past any limit, far from overflow
	type frame struct {
		acc  int64 // bound of the text read so far inside the braces
		val  int64 // longest value of the variable the braces name
		repl bool  // ${NAME/pattern/text}: the text can replace every byte
	}
	add := func(a, b int64) int64 {
		if a+b > ceiling {
			return ceiling
		}
		return a + b
	}
	mul := func(a, b int64) int64 {
		if a != 0 && b > ceiling/a {
			return ceiling
		}
		return a * b
	}
	stack := []frame{{}}
	closeTop := func() {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		top := &stack[len(stack)-1]
		if f.repl {
			top.acc = add(top.acc, add(f.val, mul(f.val+1, f.acc)))
		} else {
			top.acc = add(top.acc, add(f.val, f.acc))
		}
	}
	for i := 0; i < len(s); i++ {
		top := &stack[len(stack)-1]
		switch {
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			j := i + 2
			for j < len(s) && (s[j] == '#' || s[j] == '!') {
				j++
			}
			k := j
			for k < len(s) && isNameByte(s[k], k == j) {
				k++
			}
			top.acc = add(top.acc, int64(k-i))
			stack = append(stack, frame{val: longest[s[j:k]], repl: k < len(s) && s[k] == '/'})
			i = k - 1
		case s[i] == '$':
			j := i + 1
			for j < len(s) && isNameByte(s[j], j == i+1) {
				j++
			}
			top.acc = add(top.acc, add(int64(j-i), longest[s[i+1:j]]))
			i = j - 1
		case s[i] == '}' && len(stack) > 1:
			top.acc = add(top.acc, 1)
			closeTop()
		default:
			top.acc = add(top.acc, 1)
		}
	}
	for len(stack) > 1 {
		closeTop()
	}
	return stack[0].acc
}

func isNameByte(c byte, first bool) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !first && c >= '0' && c <= '9'
}
