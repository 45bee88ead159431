package imagediff

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/vocab"
)

// maxSummaryDirs is how many directories the summary names.
const maxSummaryDirs = 5

func summarize(d *Diff) Summary {
	s := Summary{Delta: d.B.Content - d.A.Content, SizeDelta: d.B.Size - d.A.Size, Dirs: []DirDelta{}}
	for _, f := range d.Files {
		switch f.Op {
		case Added:
			s.Added++
		case Removed:
			s.Removed++
		default:
			s.Changed++
		}
	}
	s.Dirs = explaining(d.Files, maxSummaryDirs)
	s.Text = sentence(s)
	return s
}

// explaining picks the directories that explain most of the byte change:
// every directory's net change is added up from the files below it; a
// directory one of whose subdirectories holds 90% or more of its change
// (the same way) gives way to that subdirectory; then the largest changes
// are taken, never a directory together with one inside it.
func explaining(files []FileChange, n int) []DirDelta {
	delta := map[string]int64{}
	for _, f := range files {
		if f.Delta == 0 {
			continue
		}
		for dir := path.Dir(f.Path); dir != "."; dir = path.Dir(dir) {
			delta[dir] += f.Delta
		}
	}
	dominated := map[string]bool{}
	for dir, v := range delta {
		parent := path.Dir(dir)
		if parent == "." {
			continue
		}
		if pv := delta[parent]; v != 0 && (v > 0) == (pv > 0) && abs(v)*10 >= abs(pv)*9 {
			dominated[parent] = true
		}
	}
	var cands []DirDelta
	for dir, v := range delta {
		if v != 0 && !dominated[dir] {
			cands = append(cands, DirDelta{Path: "/" + dir, Delta: v})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if ai, aj := abs(cands[i].Delta), abs(cands[j].Delta); ai != aj {
			return ai > aj
		}
		return cands[i].Path < cands[j].Path
	})
	out := []DirDelta{}
	for _, c := range cands {
		if len(out) == n {
			break
		}
		clash := false
		for _, o := range out {
			if strings.HasPrefix(c.Path+"/", o.Path+"/") || strings.HasPrefix(o.Path+"/", c.Path+"/") {
				clash = true
				break
			}
		}
		if !clash {
			out = append(out, c)
		}
	}
	return out
}

// sentence is the summary in words: "B is 412 MB smaller: /usr/lib
// −300 MB, /var/cache/apt −80 MB; 12 added, 40 removed, 3 changed".
func sentence(s Summary) string {
	var b strings.Builder
	switch {
	case s.Added+s.Removed+s.Changed == 0:
		return "A and B hold the same files"
	case s.Delta < 0:
		fmt.Fprintf(&b, "B is %s smaller", vocab.FormatSize(-s.Delta))
	case s.Delta > 0:
		fmt.Fprintf(&b, "B is %s larger", vocab.FormatSize(s.Delta))
	default:
		b.WriteString("B holds as many bytes as A")
	}
	for i, d := range s.Dirs {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s", d.Path, SignedSize(d.Delta))
	}
	fmt.Fprintf(&b, "; %d added, %d removed, %d changed", s.Added, s.Removed, s.Changed)
	return b.String()
}

// SignedSize formats a byte change with its sign: "+1.2 MB", "−300 MB".
func SignedSize(n int64) string {
	switch {
	case n < 0:
		return "−" + vocab.FormatSize(-n)
	case n > 0:
		return "+" + vocab.FormatSize(n)
	}
	return "0 B"
}
