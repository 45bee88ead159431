// Package diff computes line differences between two texts and renders
// them as a unified diff, the format patch and git read.
package diff

import (
	"fmt"
	"strings"
)

// opKind is one line operation of an edit script.
type opKind byte

const (
	keep opKind = ' '
	del  opKind = '-'
	ins  opKind = '+'
)

type op struct {
	kind opKind
	a, b int // line index in a (keep, del) and in b (keep, ins)
}

// Lines splits text into lines, each keeping its terminator.
func Lines(text string) []string {
	if text == "" {
		return nil
	}
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// script returns a shortest edit script from a to b (Myers' algorithm,
// O((N+M)·D) time).
func script(a, b []string) []op {
	// Trim the common prefix and suffix: most Dockerfile fixes touch a
	// few lines, so the search space shrinks to those.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	var ops []op
	for i := 0; i < pre; i++ {
		ops = append(ops, op{keep, i, i})
	}
	for _, o := range myers(ma, mb) {
		o.a += pre
		o.b += pre
		ops = append(ops, o)
	}
	for i := 0; i < suf; i++ {
		ops = append(ops, op{keep, len(a) - suf + i, len(b) - suf + i})
	}
	return ops
}

func myers(a, b []string) []op {
	n, m := len(a), len(b)
	max := n + m
	if max == 0 {
		return nil
	}
	offset := max
	v := make([]int, 2*max+2)
	var trace [][]int
	for d := 0; d <= max; d++ {
		snapshot := make([]int, len(v))
		copy(snapshot, v)
		trace = append(trace, snapshot)
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
				x = v[offset+k+1]
			} else {
				x = v[offset+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[offset+k] = x
			if x >= n && y >= m {
				return backtrack(trace, a, b, d, offset)
			}
		}
	}
	return nil
}

func backtrack(trace [][]int, a, b []string, d, offset int) []op {
	x, y := len(a), len(b)
	var rev []op
	for ; d > 0; d-- {
		v := trace[d]
		k := x - y
		var prevK int
		if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := v[offset+prevK]
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x--
			y--
			rev = append(rev, op{keep, x, y})
		}
		if x == prevX {
			y--
			rev = append(rev, op{ins, x, y})
		} else {
			x--
			rev = append(rev, op{del, x, y})
		}
	}
	for x > 0 && y > 0 {
		x--
		y--
		rev = append(rev, op{keep, x, y})
	}
	out := make([]op, len(rev))
	for i := range rev {
		out[i] = rev[len(rev)-1-i]
	}
	return out
}

// Unified returns the unified diff of a and b with the given labels and
// three lines of context; "" when the texts are equal. A header, when
// not empty, is written before the file labels (each line prefixed with
// "# "), so a patch can explain itself.
func Unified(labelA, labelB, a, b, header string) string {
	if a == b {
		return ""
	}
	la, lb := Lines(a), Lines(b)
	ops := script(la, lb)
	const context = 3
	var out strings.Builder
	if header != "" {
		for _, l := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
			out.WriteString("# " + l + "\n")
		}
	}
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", labelA, labelB)
	for i := 0; i < len(ops); {
		if ops[i].kind == keep {
			i++
			continue
		}
		// A hunk starts up to context lines before the change and runs
		// until context lines of equality separate it from the next.
		start := i - context
		if start < 0 {
			start = 0
		}
		end := i
		for end < len(ops) {
			if ops[end].kind != keep {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == keep {
				run++
			}
			if run == len(ops) || run-end > 2*context {
				end += min(context, run-end)
				break
			}
			end = run
		}
		writeHunk(&out, ops[start:end], la, lb)
		i = end
	}
	return out.String()
}

func writeHunk(out *strings.Builder, ops []op, la, lb []string) {
	aStart, bStart := -1, -1
	aLen, bLen := 0, 0
	for _, o := range ops {
		switch o.kind {
		case keep:
			if aStart < 0 {
				aStart, bStart = o.a, o.b
			}
			aLen++
			bLen++
		case del:
			if aStart < 0 {
				aStart, bStart = o.a, o.b
			}
			aLen++
		case ins:
			if aStart < 0 {
				aStart, bStart = o.a, o.b
			}
			bLen++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
	for _, o := range ops {
		var line string
		switch o.kind {
		case keep, del:
			line = la[o.a]
		case ins:
			line = lb[o.b]
		}
		out.WriteByte(byte(o.kind))
		out.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange formats a hunk's line range: 1-based start, and the count
// when it is not 1 (an empty range names the line before it).
func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}
