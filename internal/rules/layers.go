package rules

import (
	"sort"
	"strings"
)

var layerRules = []*Rule{DL3059}

// DL3059 reports consecutive RUN instructions that could be one layer.
var DL3059 = &Rule{
	ID:        "DL3059",
	Name:      "consecutive-run",
	Severity:  Info,
	Category:  Size,
	Checklist: LayersMinimalRun,
	Doc: Doc{
		Summary: "Multiple consecutive RUN instructions: consider joining them.",
		Why: "Each RUN makes a layer. Files a later RUN deletes still take space in the earlier " +
			"layer, and every layer adds metadata and a cache entry. Chaining related commands " +
			"with && keeps the image smaller and the build graph simpler.",
		Bad:  "RUN apt-get update\nRUN apt-get install -y curl",
		Good: "RUN apt-get update \\\n && apt-get install -y curl",
	},
	Check: func(p *Pass) {
		for _, st := range p.File.Stages {
			var prev string
			for _, in := range st.Instructions {
				if in.Cmd != "run" {
					prev = ""
					continue
				}
				flags := sortedFlags(in.Flags)
				if prev != "" && prev == "run:"+flags {
					p.Report(in, "RUN follows another RUN with the same flags: join them into one layer")
				}
				prev = "run:" + flags
			}
		}
	},
}

func sortedFlags(fs []string) string {
	cp := append([]string(nil), fs...)
	sort.Strings(cp)
	return strings.Join(cp, "\x00")
}
