package dockerfile

import "testing"

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"FROM a\nRUN echo\n",
		"# escape=`\nFROM a\nRUN x `\n y\n",
		"FROM a AS b\nCOPY --from=b x y\nRUN <<EOF\nhi\nEOF\n",
		"ARG X=${Y:-z}\nFROM $X\nONBUILD RUN x\nSHELL [\"pwsh\"]\n",
		"\ufeffFROM a\r\nCMD [\"a\"\r\n",
		"FROM a\nRUN <<A <<B\n1\nA\n2\nB\n",
		// A per-instruction check comment once made BuildKit's
		// instruction parser dereference a nil linter.
		"FROM a\n# check=skip=JSONArgsRecommended\nCMD echo\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Parse("fuzz", src)
		if err != nil {
			return
		}
		for _, in := range file.Instructions {
			_ = in.Scripts()
			_ = in.Mounts()
			_ = in.ExecArgs()
			_ = in.KeyValues()
			if off := file.Offset(in.StartLine, in.Column); off < 0 || off > len(file.Source) {
				t.Fatalf("offset %d out of range", off)
			}
			if end := file.LineEnd(in.EndLine); end < 0 || end > len(file.Source) {
				t.Fatalf("line end %d out of range", end)
			}
		}
		for _, st := range file.Stages {
			_ = file.Inherited(st)
		}
	})
}
