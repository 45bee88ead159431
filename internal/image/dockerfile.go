package image

import (
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

// Dockerfile is what the layer mapping needs from a Dockerfile: the
// instructions that made the image's own history steps.
type Dockerfile struct {
	Path string
	// From is the FROM instruction of the stage chain's first stage (the
	// one built on an external image).
	From Instruction
	// Steps are the instructions after FROM of the final stage and of the
	// stages it is built on, in build order.
	Steps []Instruction
	// Lines holds the file's lines, for code frames.
	Lines []string
}

// Instruction is one Dockerfile instruction.
type Instruction struct {
	Keyword string `json:"keyword"` // upper case
	Text    string `json:"text"`
	Line    int    `json:"line"`
	EndLine int    `json:"end_line"`
}

// LoadDockerfile parses a Dockerfile and extracts its final stage chain.
func LoadDockerfile(path string) (*Dockerfile, error) {
	f, err := dockerfile.ParseFile(path)
	if err != nil {
		return nil, err
	}
	return dockerfileFrom(f)
}

func dockerfileFrom(f *dockerfile.File) (*Dockerfile, error) {
	final := f.FinalStage()
	if final == nil {
		return nil, fmt.Errorf("%s: no FROM instruction", f.Path)
	}
	// The final stage may be built FROM an earlier stage; the image's
	// history then holds that stage's steps too.
	var chain []*dockerfile.Stage
	seen := map[*dockerfile.Stage]bool{}
	for s := final; s != nil && !seen[s]; s = s.BaseStage {
		seen[s] = true
		chain = append([]*dockerfile.Stage{s}, chain...)
	}
	df := &Dockerfile{Path: f.Path, Lines: f.Lines}
	for ci, s := range chain {
		for k, in := range s.Instructions {
			if k == 0 && in.Cmd == "from" {
				if ci == 0 {
					df.From = toInstruction(in)
				}
				continue
			}
			df.Steps = append(df.Steps, toInstruction(in))
		}
	}
	return df, nil
}

func toInstruction(in *dockerfile.Instruction) Instruction {
	return Instruction{Keyword: strings.ToUpper(in.Cmd), Text: in.Original, Line: in.StartLine, EndLine: in.EndLine}
}

// Mapping records how the image's history lines up with the Dockerfile.
type Mapping struct {
	Path string `json:"path"`
	// Steps counts the Dockerfile's instructions after FROM; Mapped how
	// many of them were matched to history entries.
	Steps  int `json:"steps"`
	Mapped int `json:"mapped"`
	// Complete is true when every instruction found its history entry.
	Complete bool `json:"complete"`
	// BaseLayers and BaseHistory follow from a complete mapping (-1
	// otherwise).
	BaseLayers  int    `json:"base_layers"`
	BaseHistory int    `json:"base_history"`
	Note        string `json:"note,omitempty"`
	// Entries lists the matched history entries.
	Entries []MappedStep `json:"entries"`
	from    Instruction
}

// MappedStep is one history entry matched to an instruction.
type MappedStep struct {
	History     int         `json:"history"`
	Layer       int         `json:"layer,omitempty"`
	Instruction Instruction `json:"instruction"`
}

// keywordsWithoutHistory may have no history entry in some builders.
var keywordsWithoutHistory = map[string]bool{"ARG": true, "ONBUILD": true, "MAINTAINER": true}

// mapDockerfile matches the history's last entries with the Dockerfile's
// steps, from the end backwards: each history entry records the keyword
// of the instruction that made it (in the classic builder's and
// BuildKit's formats alike). It stops at the first entry that does not
// fit and says so.
func mapDockerfile(r *Result, df *Dockerfile) {
	m := &Mapping{Path: df.Path, Steps: len(df.Steps), BaseLayers: -1, BaseHistory: -1, from: df.From}
	r.Dockerfile = m
	i, j := len(r.History)-1, len(df.Steps)-1
	for i >= 0 && j >= 0 {
		h := r.History[i]
		in := df.Steps[j]
		hk := historyKeyword(h.CreatedBy)
		if hk == "" || hk == in.Keyword {
			m.Entries = append(m.Entries, MappedStep{History: h.Index, Layer: h.Layer, Instruction: in})
			r.History[i].Line, r.History[i].EndLine = in.Line, in.EndLine
			if h.Layer > 0 {
				r.Layers[h.Layer-1].Line, r.Layers[h.Layer-1].EndLine = in.Line, in.EndLine
			}
			i--
			j--
			continue
		}
		if keywordsWithoutHistory[in.Keyword] {
			j--
			continue
		}
		break
	}
	for a, b := 0, len(m.Entries)-1; a < b; a, b = a+1, b-1 {
		m.Entries[a], m.Entries[b] = m.Entries[b], m.Entries[a]
	}
	m.Mapped = len(m.Entries)
	for ; j >= 0 && keywordsWithoutHistory[df.Steps[j].Keyword]; j-- {
	}
	if j < 0 {
		m.Complete = true
		m.BaseHistory = i + 1
		n := 0
		for _, h := range r.History[:i+1] {
			if h.Layer > 0 {
				n++
			}
		}
		m.BaseLayers = n
		return
	}
	in := df.Steps[j]
	if i < 0 {
		m.Note = fmt.Sprintf("the image's history has fewer steps than %s; instructions up to line %d are not in the image (is it built from this Dockerfile?)", df.Path, in.Line)
	} else {
		m.Note = fmt.Sprintf("mapped the last %d instructions; history step %d (%s) does not match line %d (%s), so earlier layers are not mapped",
			m.Mapped, r.History[i].Index, ShortCommand(r.History[i].CreatedBy, 40), in.Line, in.Keyword)
	}
	r.Notes = append(r.Notes, m.Note)
}

// placeFindings gives each finding the Dockerfile line that caused it: its
// layer's instruction, or for findings about the configuration the last
// instruction with the rule's keyword, or the FROM line.
func placeFindings(r *Result, df *Dockerfile) {
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Layer > 0 && f.Layer <= len(r.Layers) && r.Layers[f.Layer-1].Line > 0 {
			f.Line, f.EndLine = r.Layers[f.Layer-1].Line, r.Layers[f.Layer-1].EndLine
			continue
		}
		if f.Anchor != "" {
			found := false
			for k := len(df.Steps) - 1; k >= 0; k-- {
				in := df.Steps[k]
				if in.Keyword == f.Anchor && (f.AnchorText == "" || strings.Contains(in.Text, f.AnchorText)) {
					f.Line, f.EndLine = in.Line, in.EndLine
					found = true
					break
				}
			}
			if found {
				continue
			}
		}
		f.Line, f.EndLine = df.From.Line, df.From.EndLine
	}
}
