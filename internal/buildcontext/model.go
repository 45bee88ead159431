// Package buildcontext says what a build sends to BuildKit and what its
// instructions read of it: the files of the context directory that pass
// the .dockerignore that applies (package dockerignore), walked with
// BuildKit's client library (fsutil) so that the set is BuildKit's own
// (symbolic links are never followed out of the context), the paths
// BuildKit asks for (only those COPY, ADD and RUN --mount read, unless one
// reads the whole context), and the exact bytes the transfer counts.
//
// Analyze adds where the bytes are (top folders, largest directories and
// files), the junk and the secrets among them (SD502's detector), what
// each instruction reads, what no instruction reads, and a .dockerignore
// that would leave out the junk and the unused bytes without dropping
// anything an instruction names, written by the writer "strata fix
// --unsafe" uses for SD301 (internal/fix/plan).
//
// The Dockerfile's side (which paths each instruction reads) comes from
// internal/buildplan; rendering is internal/report/buildreport's.
package buildcontext

// The types below are a JSON contract: do not rename fields. Sizes are
// in bytes.

// Report is what Analyze found.
type Report struct {
	// Dir is the context directory; Dockerfile the Dockerfile's path.
	Dir        string `json:"dir"`
	Dockerfile string `json:"dockerfile"`
	// IgnoreFile is the ignore file that applies ("" for none), with
	// its patterns.
	IgnoreFile     string   `json:"ignore_file"`
	IgnorePatterns []string `json:"ignore_patterns"`

	// Sent is what BuildKit transfers for a build of the Dockerfile:
	// the files that pass the ignore file, and of those only the ones
	// the instructions read unless one reads the whole context.
	Sent Totals `json:"sent"`
	// WholeContext names the instructions that read the whole context
	// (COPY . , a bind mount of it); empty when none does.
	WholeContext []Taker `json:"whole_context"`
	// FollowPaths are the paths BuildKit asks the client for; null when
	// it asks for everything.
	FollowPaths []string `json:"follow_paths"`
	// Passed is everything the ignore file lets through: what the
	// classic builder sends, and what BuildKit sends when an instruction
	// reads the whole context.
	Passed Totals `json:"passes_ignore_file"`

	// TopFolders splits Passed by top-level entry; files directly in
	// the context directory are one entry, "(top-level files)".
	TopFolders   []Usage `json:"top_folders"`
	LargestDirs  []Usage `json:"largest_directories"`
	LargestFiles []Usage `json:"largest_files"`

	// Junk are the parts of Passed that images rarely need.
	Junk []Junk `json:"junk"`
	// Secrets are key and credential files in Passed (by SD502's
	// judgement); their content is never read into the report.
	Secrets []Secret `json:"secrets"`

	// Reads are what each instruction reads from the context.
	Reads []ReadUse `json:"reads"`
	// Unused is the part of Passed that no instruction reads, with its
	// largest parts.
	Unused      Totals  `json:"unused"`
	UnusedPaths []Usage `json:"unused_paths"`

	// Suggestion is the .dockerignore that would leave out the junk and
	// the unused bytes; nil when there is nothing to add.
	Suggestion *Suggestion `json:"suggested_ignore_file"`

	// Problems are entries that could not be read (the walk went on).
	Problems []Problem `json:"problems"`
	// Unreadable are sent files this user cannot read: BuildKit's
	// transfer fails on them.
	Unreadable []string `json:"unreadable"`
	// Gate is the size check asked for; nil when none was.
	Gate *Gate `json:"gate,omitempty"`
}

// Totals count a set of context entries.
type Totals struct {
	Files int `json:"files"`
	Dirs  int `json:"dirs"`
	// Bytes is the files' content.
	Bytes int64 `json:"bytes"`
	// Transfer is what BuildKit counts for sending them ("transferring
	// context: N"): the content and the transfer's metadata packets.
	Transfer int64 `json:"transfer_bytes"`
}

// Usage is the bytes and files under one path.
type Usage struct {
	Path  string `json:"path"`
	Bytes int64  `json:"bytes"`
	Files int    `json:"files"`
	// Sent is the part of Bytes BuildKit transfers.
	SentBytes int64 `json:"sent_bytes"`
}

// Taker is an instruction that reads a path of the context.
type Taker struct {
	Line        int    `json:"line"`
	Instruction string `json:"instruction"`
}

// Junk categories.
const (
	JunkVCS       = "version control"
	JunkDeps      = "installed dependencies"
	JunkVenv      = "virtualenv"
	JunkBytecode  = "Python bytecode"
	JunkOutput    = "build output"
	JunkLogs      = "logs"
	JunkEditor    = "editor files"
	JunkCaches    = "test and tool caches"
	JunkArchives  = "large archives and binaries"
	JunkBuildOwn  = "the build's own files"
	JunkSecretCat = "secrets"
)

// Junk is one path of junk.
type Junk struct {
	Path     string `json:"path"`
	Category string `json:"category"`
	Bytes    int64  `json:"bytes"`
	Files    int    `json:"files"`
	// Sent is true when BuildKit transfers it.
	Sent bool `json:"sent"`
	// TakenBy are the instructions that read it.
	TakenBy []Taker `json:"taken_by"`
	// Kept says why the suggestion keeps it; "" when it leaves it out.
	Kept string `json:"kept,omitempty"`
}

// Secret is a key or credential file in the context.
type Secret struct {
	Path    string  `json:"path"`
	Sent    bool    `json:"sent"`
	TakenBy []Taker `json:"taken_by"`
	// Named is true when an instruction names the file (not only a
	// read of the whole context): the suggestion keeps it.
	Named bool `json:"named"`
}

// ReadUse is one path an instruction reads.
type ReadUse struct {
	Taker
	// Path is the context path or pattern read; "" is the whole context.
	Path string `json:"path"`
	// Mount is true for a RUN --mount=type=bind.
	Mount bool  `json:"mount"`
	Bytes int64 `json:"bytes"`
	Files int   `json:"files"`
	// Missing is true when nothing that passes the ignore file matches:
	// the build fails on it.
	Missing bool `json:"missing"`
	// FromStage names the stage a COPY --from or a RUN --mount=from=
	// takes its files from: it reads nothing of the context.
	FromStage string `json:"from_stage,omitempty"`
}

// Suggestion is a suggested ignore file.
type Suggestion struct {
	// Path is where it goes.
	Path string `json:"path"`
	// Added are the patterns added, each with why.
	Added []Pattern `json:"added"`
	// Content is the whole suggested file; Diff the change to the
	// current one, as a unified diff.
	Content string `json:"content"`
	Diff    string `json:"diff"`
	// Saves is what the added patterns take out of Passed and of Sent.
	Saves     Totals `json:"saves"`
	SavesSent Totals `json:"saves_sent"`
}

// Pattern is one suggested ignore pattern.
type Pattern struct {
	Pattern string `json:"pattern"`
	Why     string `json:"why"`
	Bytes   int64  `json:"bytes"`
}

// Gate is the --max-context-size check: what BuildKit sends against a
// limit.
type Gate struct {
	Max      int64 `json:"max_bytes"`
	Sent     int64 `json:"sent_bytes"`
	Exceeded bool  `json:"exceeded"`
}

// CheckGate sets the report's gate for a limit of max bytes (0 for none)
// and reports whether the context stays within it.
func (r *Report) CheckGate(max int64) bool {
	if max <= 0 {
		return true
	}
	r.Gate = &Gate{Max: max, Sent: r.Sent.Bytes, Exceeded: r.Sent.Bytes > max}
	return !r.Gate.Exceeded
}
