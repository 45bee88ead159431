// Package measure is the model of strata measure and strata compare: what
// one measurement of a Dockerfile or an image found (Measurement), and two
// of them side by side (Comparison) with the score that picks the better
// one (Score). The figures are the ones that tell whether an image got
// better: the build time with no cache and after a source-only change,
// the image size uncompressed and as a registry stores it, the start-up
// time, and what strata lint and strata image find.
//
// The package computes only: summaries of repeated samples (Summarize),
// comparisons and the score (Compare). Taking measurements on the Docker
// Engine is internal/measure/engine's job; rendering them is
// internal/report's. It depends on internal/vocab alone, so that both can
// import it.
package measure

import "github.com/stratatools/strata/internal/vocab"

// The types below are a JSON contract other tools read: do not rename
// fields. Durations are in seconds, sizes in bytes.

// Kinds of measured subject.
const (
	SubjectDockerfile = "dockerfile"
	SubjectImage      = "image"
)

// Stats summarises repeated samples of one figure.
type Stats struct {
	Median  float64   `json:"median"`
	Min     float64   `json:"min"`
	Max     float64   `json:"max"`
	Samples []float64 `json:"samples"`
}

// Measurement is what strata measure found for one Dockerfile (built
// first) or image.
type Measurement struct {
	// Subject is the Dockerfile path or image reference as given; Label
	// is the short name shown in tables ("A", "B" or the file name).
	Subject string `json:"subject"`
	Label   string `json:"label,omitempty"`
	Kind    string `json:"kind"`
	// Context is the build context directory.
	Context string `json:"context,omitempty"`
	// Builder is "buildkit" or "classic" (the Docker Engine's builders)
	// or "buildkitd" (a BuildKit daemon, at BuilderAddress) for a
	// Dockerfile.
	Builder        string `json:"builder,omitempty"`
	BuilderAddress string `json:"builder_address,omitempty"`
	Platform       string `json:"platform,omitempty"`
	ImageID        string `json:"image_id"`
	Runs           int    `json:"runs"`

	// ColdBuild is the build time with no cache (seconds).
	ColdBuild *Stats `json:"cold_build,omitempty"`
	// WarmBuild is the rebuild time after a source-only change.
	WarmBuild *Stats     `json:"warm_build,omitempty"`
	Warm      *WarmBuild `json:"warm,omitempty"`

	// Size is the image's uncompressed size as the Engine reports it for
	// a pulled or loaded image (the files and symbolic links of every
	// layer), whichever builder made it;
	// CompressedSize the sum of its layers gzip-compressed, as a registry
	// stores them.
	Size           int64   `json:"size"`
	CompressedSize int64   `json:"compressed_size"`
	LayerCount     int     `json:"layer_count"`
	Layers         []Layer `json:"layers"`

	// Startup is the time from container start until it exited, printed
	// the ready line or answered on the port (StartupUntil says which).
	Startup         *Stats `json:"startup,omitempty"`
	StartupUntil    string `json:"startup_until,omitempty"`
	StartupExitCode *int   `json:"startup_exit_code,omitempty"`
	// StartupError says why start-up could not be measured.
	StartupError string `json:"startup_error,omitempty"`

	// User is the image's configured user; Root is true when the
	// container runs as root.
	User string `json:"user"`
	Root bool   `json:"root"`

	Waste Waste `json:"waste"`
	// ImageFindings are strata image's findings on the image;
	// LintFindings strata lint's on the Dockerfile.
	ImageFindings []vocab.Finding `json:"image_findings"`
	LintFindings  []vocab.Finding `json:"lint_findings"`
	// Explain says why the warm rebuild ran each step again (measure
	// --explain): strata's prediction for the change, checked against
	// what BuildKit did.
	Explain []StepExplanation `json:"explain,omitempty"`
	// Claims are checklist items with what the measurement showed.
	Claims []Claim `json:"claims,omitempty"`
	// Notes are remarks about how figures were obtained.
	Notes []string `json:"notes"`
}

// StepExplanation is one step of the warm rebuild.
type StepExplanation struct {
	// Step is BuildKit's name for it; Line its Dockerfile line.
	Step string `json:"step"`
	Line int    `json:"line"`
	// Cached is what BuildKit did; Predicted what strata predicted
	// ("cached", "rebuilt", or "conditional": rebuilt unless another
	// stage's output came out byte-identical).
	Cached    bool   `json:"cached"`
	Predicted string `json:"predicted"`
	// Why is the first cause, in words; "" for a cached step.
	Why string `json:"why"`
	// Agrees is false when BuildKit did otherwise than predicted.
	Agrees bool `json:"agrees"`
}

// Claim is a checklist item judged by a measurement.
type Claim struct {
	Item   string       `json:"item"`
	Status vocab.Status `json:"status"`
	Text   string       `json:"text"`
}

// WarmBuild describes the rebuild after a source-only change.
type WarmBuild struct {
	// Touched is the context-relative file changed before the rebuild;
	// "" when the Dockerfile copies no file from the context.
	Touched string `json:"touched"`
	// Steps is the Dockerfile steps the rebuild ran (FROM excluded) and
	// CachedSteps those taken from the cache, in the last run.
	Steps       int `json:"steps"`
	CachedSteps int `json:"cached_steps"`
}

// Layer is one layer's size.
type Layer struct {
	Index          int    `json:"index"`
	Size           int64  `json:"size"`
	CompressedSize int64  `json:"compressed_size"`
	CreatedBy      string `json:"created_by"`
	Base           bool   `json:"base"`
}

// Waste is strata image's waste figures.
type Waste struct {
	// Bytes are stored in a layer but hidden in the final filesystem
	// (overwritten, deleted or duplicated).
	Bytes   int64   `json:"bytes"`
	Percent float64 `json:"percent"`
	// Efficiency is the share of stored bytes visible in the final
	// filesystem, 0..1.
	Efficiency float64 `json:"efficiency"`
}

// Comparison is strata compare's result: A and B measured, every figure
// side by side, the findings by category and the score.
type Comparison struct {
	A        *Measurement     `json:"a"`
	B        *Measurement     `json:"b"`
	Figures  []FigureDiff     `json:"figures"`
	Findings []CategoryChange `json:"findings"`
	Score    Score            `json:"score"`
	// Files is the summary of strata diff between the two images, when
	// both were read.
	Files *FileDiff `json:"files,omitempty"`
}

// FileDiff summarises the file-by-file difference of B's image from A's.
type FileDiff struct {
	Added   int `json:"added"`
	Removed int `json:"removed"`
	Changed int `json:"changed"`
	// Bytes is B's content bytes minus A's.
	Bytes int64 `json:"bytes"`
	// Dirs are the directories that explain most of the difference.
	Dirs []DirChange `json:"dirs"`
	// Summary is the difference in one sentence.
	Summary string `json:"summary"`
}

// DirChange is one directory's change in content bytes.
type DirChange struct {
	Path  string `json:"path"`
	Bytes int64  `json:"bytes"`
}

// Units of a FigureDiff.
const (
	UnitSeconds = "s"
	UnitBytes   = "bytes"
	UnitCount   = "count"
	UnitPercent = "%"
	UnitBool    = "bool"
)

// FigureDiff is one figure of A and B. A nil value was not measured
// (build times of an image, say).
type FigureDiff struct {
	Name  string   `json:"name"`
	Label string   `json:"label"`
	Unit  string   `json:"unit"`
	A     *float64 `json:"a"`
	B     *float64 `json:"b"`
	// Diff is B − A.
	Diff *float64 `json:"diff"`
	// Reduction is (A − B) / A × 100, positive when B is lower; null for
	// figures where higher is better (cached steps, efficiency) or yes/no.
	Reduction *float64 `json:"reduction_percent"`
	// LowerIsBetter says which way is an improvement.
	LowerIsBetter bool `json:"lower_is_better"`
}

// CategoryChange is the findings of one category on each side: rule IDs
// with their counts, and which were fixed in B or are new in B.
type CategoryChange struct {
	Category string   `json:"category"`
	A        int      `json:"a"`
	B        int      `json:"b"`
	Fixed    []string `json:"fixed"`
	New      []string `json:"new"`
}

// Score is the figure that picks a winner, with every term so that it can
// be checked by hand.
type Score struct {
	Formula string      `json:"formula"`
	Terms   []ScoreTerm `json:"terms"`
	Total   float64     `json:"total"`
	// Winner is "A", "B" or "tie": a positive total favours B.
	Winner string `json:"winner"`
}

// ScoreTerm is one term of the score: Points = Weight × Value.
type ScoreTerm struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
	Value  float64 `json:"value"`
	Points float64 `json:"points"`
	// Measured is false when a side lacks the figure (the term is 0).
	Measured bool `json:"measured"`
	// Working shows the arithmetic with the measured numbers.
	Working string `json:"working"`
}
