package rules

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3020 reports ADD used for local files and folders.
var DL3020 = &Rule{
	ID:       "DL3020",
	Name:     "add-instead-of-copy",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Use COPY instead of ADD for files and folders.",
		Why: "ADD does more than copy: it unpacks local archives (detected by content, not by " +
			"name) and fetches URLs. Used for plain files it hides that behaviour from readers and " +
			"can unpack a file that was meant to be copied. COPY says exactly what happens; keep " +
			"ADD for fetching URLs or Git repositories and for unpacking archives.",
		Bad:  "ADD requirements.txt /app/",
		Good: "COPY requirements.txt /app/\nADD https://example.com/tool.tar.gz /opt/\nADD vendor.tar.gz /opt/vendor/",
	},
	Check: func(p *Pass) error {
		eachInstruction(p.File, func(in, outer *dockerfile.Instruction) {
			if in.Cmd != "add" || len(in.Args) < 2 {
				return
			}
			sources := in.Args[:len(in.Args)-1]
			plain, special := 0, 0
			for _, src := range sources {
				s := dockerfile.TrimQuotes(src)
				switch {
				case isRemoteSource(s), isArchiveName(s), dockerfile.HasVariable(s), looksLikeArchive(p.Context, s):
					special++
				default:
					plain++
				}
			}
			if plain == 0 {
				return
			}
			var fix *edit.Fix
			if special == 0 && copyCompatible(in) {
				if pos, ok := keywordOffset(p.File, in, outer); ok {
					fix = &edit.Fix{
						Message: "use COPY: the sources are plain files",
						Edits:   []edit.TextEdit{{Pos: pos, End: pos + len(in.Keyword), NewText: edit.MatchCase(in.Keyword, "COPY")}},
					}
				}
			}
			p.ReportFix(outer, fix, "%sADD of local files: use COPY, which does not unpack archives or fetch URLs", triggerPrefix(in, outer))
		})
		return nil
	},
}

// looksLikeArchive reports whether the context file rel starts with the
// magic bytes of a format ADD unpacks (ADD detects archives by content,
// not by name).
func looksLikeArchive(bc *BuildContext, rel string) bool {
	if !bc.Known() || strings.ContainsAny(rel, "*?[") || strings.HasPrefix(rel, "<<") {
		return false
	}
	f, err := os.Open(filepath.Join(bc.Dir, filepath.FromSlash(rel)))
	if err != nil {
		return false
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return false
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	for _, magic := range [][]byte{{0x1f, 0x8b}, []byte("BZh"), {0xfd, '7', 'z', 'X', 'Z', 0}, {0x28, 0xb5, 0x2f, 0xfd}} {
		if bytes.HasPrefix(head, magic) {
			return true
		}
	}
	return len(head) >= 262 && string(head[257:262]) == "ustar"
}

// copyOnlyFlags are the ADD flags COPY accepts too.
var copyOnlyFlags = map[string]bool{"chown": true, "chmod": true, "link": true, "exclude": true}

// copyCompatible reports whether an ADD's flags are all accepted by COPY.
func copyCompatible(in *dockerfile.Instruction) bool {
	for _, n := range in.FlagNames() {
		if !copyOnlyFlags[n] {
			return false
		}
	}
	return true
}
