package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3010 reports archives COPY'd into the image and then extracted by a
// RUN: ADD extracts local tar archives itself, without leaving the archive
// in a layer.
var DL3010 = &Rule{
	ID:        "DL3010",
	Name:      "use-add-to-extract",
	Severity:  vocab.Info,
	Category:  vocab.Size,
	Checklist: vocab.SizeSameLayerCleanup,
	Doc: Doc{
		Summary: "Use ADD for extracting archives into an image.",
		Why: "COPY app.tar.gz followed by RUN tar -xf app.tar.gz keeps the archive in the COPY " +
			"layer even if the RUN deletes it, so the image carries the data twice. ADD unpacks a " +
			"local tar archive (gzip, bzip2, xz) in one step and stores only the extracted files.",
		Bad:  "COPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt",
		Good: "ADD app.tar.gz /opt/",
	},
	Check: func(p *Pass) error {
		idx := shIndexOf(p)
		for _, st := range stagesWithPrelude(p) {
			// archives maps the base name of each archive COPY'd in the
			// stage to the COPY instructions.
			archives := map[string][]*dockerfile.Instruction{}
			reported := map[*dockerfile.Instruction]bool{}
			for _, in := range st.Instructions {
				switch in.Cmd {
				case "copy":
					if _, from := in.Flag("from"); from || len(in.Args) < 2 || len(in.Heredocs) > 0 {
						continue
					}
					dst := dockerfile.TrimQuotes(in.Args[len(in.Args)-1])
					if isArchiveName(dst) && !dockerfile.HasVariable(dst) {
						archives[baseNameAny(dst)] = append(archives[baseNameAny(dst)], in)
						continue
					}
					for _, src := range in.Args[:len(in.Args)-1] {
						s := dockerfile.TrimQuotes(src)
						if isArchiveName(s) && !dockerfile.HasVariable(s) && !isRemoteSource(s) && !strings.ContainsAny(s, "*?[") {
							archives[baseNameAny(s)] = append(archives[baseNameAny(s)], in)
						}
					}
				case "run":
					if len(archives) == 0 || !shell.IsPOSIXShell(idx.shell[in]) {
						continue
					}
					for _, sc := range p.Shell(in) {
						for _, c := range sc.Commands {
							if !isTarExtract(c) && !isDecompress(c) {
								continue
							}
							for _, name := range archiveArgs(c) {
								for _, cp := range archives[name] {
									if !reported[cp] {
										reported[cp] = true
										p.Report(cp, "Use ADD for extracting archives into an image: %s is extracted by the RUN at line %d", name, in.StartLine)
									}
								}
							}
						}
					}
				}
			}
		}
		return nil
	},
}

// isTarExtract reports whether c is tar extracting (-x, --extract, --get,
// or old-style "tar xzf").
func isTarExtract(c *shell.Command) bool {
	if c.Base() != "tar" {
		return false
	}
	if c.HasFlag("-x", "--extract", "--get") {
		return true
	}
	if len(c.ArgWords) > 0 {
		first := c.ArgWords[0]
		if first.Literal && !strings.HasPrefix(first.Value, "-") && strings.Contains(first.Value, "x") &&
			strings.Trim(first.Value, "AcdtrruxzjJvfopPkmOwWlSMgGhiKNRTVbBCX") == "" {
			return true
		}
	}
	return false
}

// isDecompress reports whether c decompresses files, as hadolint counts.
func isDecompress(c *shell.Command) bool {
	switch c.Base() {
	case "gunzip", "bunzip2", "unlzma", "unxz", "zgz", "uncompress", "zcat", "gzcat", "unzstd":
		return true
	}
	return false
}

// archiveArgs returns the base names of c's literal arguments and of the
// values attached to its options (--file=x.tar, -xzfx.tar).
func archiveArgs(c *shell.Command) []string {
	var out []string
	for _, w := range c.ArgWords {
		if !w.Literal {
			continue
		}
		v := w.Value
		if strings.HasPrefix(v, "--") {
			_, v, _ = strings.Cut(v, "=")
		} else if strings.HasPrefix(v, "-") && len(v) > 2 {
			if i := strings.IndexByte(v, 'f'); i > 0 && i+1 < len(v) {
				v = v[i+1:]
			}
		}
		if v != "" {
			out = append(out, baseNameAny(v))
		}
	}
	return out
}
