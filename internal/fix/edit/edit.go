// Package edit is what a fix is made of and where its edits go: byte-range
// edits of a Dockerfile's source, files to add to the build context, and
// the helpers that place edits exactly (whole lines with the comment
// block above them, the end of an instruction's header, offsets inside a
// RUN's shell script). The rules that propose fixes, the structural
// planners of internal/fix/plan and the fixer that applies the edits all
// share it; it depends on nothing of theirs.
package edit

// TextEdit replaces the bytes [Pos, End) of the Dockerfile source.
type TextEdit struct {
	Pos, End int
	NewText  string
}

// Fix is a proposed change to a Dockerfile.
type Fix struct {
	// Message describes the change and its expected effect.
	Message string
	Edits   []TextEdit
	// Create lists files to add next to the Dockerfile, in the build
	// context (such as a .dockerignore). A file that already exists is
	// never overwritten.
	Create []NewFile
	// Unsafe fixes change what the image contains; they are applied only
	// when the user asks for them.
	Unsafe bool
	// Region, when set, is the source range the fix's reasoning covers
	// (usually its whole instruction). No other fix whose edits touch the
	// region, its ends included, is applied in the same pass: it is
	// proposed again on the next pass against the new text. It keeps two
	// fixes that each make sense alone from being combined, such as a
	// cache mount and a clean-up that would empty it.
	Region *Span
	// Structural marks a rewrite planned on the whole file (a build
	// stage, manifests copied first, a new base): in a pass where one
	// is offered, the fixer applies the structural rewrites first and
	// lets the local edits (joins, flags) wait for the next pass, so
	// that a join never settles the layout a rewrite would change.
	Structural bool
	// Order ranks fixes offered in the same pass: a lower order is
	// applied first (then the position of the first edit decides). A
	// change of base image is planned before the rewrites that depend
	// on what the base holds (-1); most fixes have 0.
	Order int
	// Declined, when set, says why the rule's fix is not offered for this
	// finding (a fix with a reason and no edits): what would break, or
	// what cannot be told. The rules engine moves it to the finding
	// (rules.Diagnostic.Declined) and reports the finding without a fix.
	Declined string
}

// Decline returns a fix that is not offered, with the reason why.
func Decline(reason string) *Fix { return &Fix{Declined: reason} }

// Span is a byte range [Pos, End) of the Dockerfile source.
type Span struct {
	Pos, End int
}

// NewFile is a file a fix adds to the build context.
type NewFile struct {
	// Path is relative to the build context, with forward slashes.
	Path    string
	Content string
}
