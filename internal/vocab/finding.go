package vocab

// Finding is one problem found in one file or image, as strata lint and
// strata image report it, strata measure carries it and every output
// format renders it. Its JSON shape is a contract other tools read; do
// not rename fields.
type Finding struct {
	File      string   `json:"file"`
	Rule      string   `json:"rule"`
	Aliases   []string `json:"aliases"`
	Name      string   `json:"name"`
	Severity  Severity `json:"severity"`
	Category  Category `json:"category"`
	Checklist string   `json:"checklist"`
	// Line and EndLine are 1-based, 0 when the finding has no line (it is
	// about the whole file). Column is the 1-based byte column on Line, 0
	// when unknown.
	Line    int    `json:"line"`
	EndLine int    `json:"end_line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
	Fixable bool   `json:"fixable"`
}
