// Package dockerfile reads Dockerfiles with BuildKit's own parser and
// models what rules need: instructions with exact source ranges, parser
// directives, stages and the graph between them.
package dockerfile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// MaxSize is the largest Dockerfile strata reads.
const MaxSize = 32 << 20

// File is a parsed Dockerfile.
type File struct {
	// Path names the file in messages; "-" for standard input.
	Path string
	// Source is the file's bytes as read (BOM and CRLF kept, so byte
	// offsets used by fixes address the original text).
	Source []byte
	// Lines holds each source line without its terminator (and without
	// the BOM on the first line).
	Lines []string
	// lineStart[i] is the byte offset of line i+1 in Source.
	lineStart []int

	// Escape is the escape character in force ('\\' or '`').
	Escape rune
	// Directives are the parser directives at the top of the file.
	Directives []Directive

	// Instructions lists every top-level instruction in source order.
	Instructions []*Instruction
	// GlobalArgs are the ARG instructions before the first FROM.
	GlobalArgs []*Instruction
	// Stages lists the build stages in order.
	Stages []*Stage
	// Comments lists every comment line outside heredoc bodies.
	Comments []Comment
	// Warnings are the parser's own warnings (such as empty
	// continuation lines).
	Warnings []Warning

	// stageNames maps each stage name (folded, see foldName) to the
	// index of the first stage of that name.
	stageNames map[string]int
}

// Directive is a parser directive such as "# syntax=..." or "# check=...".
type Directive struct {
	Name  string // lower case: syntax, escape or check
	Value string
	Line  int
}

// Comment is one comment line.
type Comment struct {
	Line int
	Text string // without the leading '#' and surrounding space
}

// Warning is a parser warning with its line.
type Warning struct {
	Line    int
	Message string
	URL     string
}

// ParseError is a Dockerfile that cannot be read. It names the file and,
// where known, the line.
type ParseError struct {
	Path string
	Line int // 0 when unknown
	Err  error
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// ParseFile reads and parses the Dockerfile at path.
func ParseFile(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, &ParseError{Path: path, Err: err}
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, &ParseError{Path: path, Err: err}
	}
	if fi.IsDir() {
		return nil, &ParseError{Path: path, Err: errors.New("is a directory, not a Dockerfile")}
	}
	if fi.Size() > MaxSize {
		return nil, &ParseError{Path: path, Err: fmt.Errorf("file is %d bytes, larger than the %d byte limit", fi.Size(), MaxSize)}
	}
	// Up to one byte past the limit: a file that grew since, or a pipe,
	// is still refused by Parse without being read whole.
	var buf bytes.Buffer
	buf.Grow(int(fi.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(fh, MaxSize+1)); err != nil {
		return nil, &ParseError{Path: path, Err: err}
	}
	return Parse(path, buf.Bytes())
}

// Parse parses src, naming it path in errors.
func Parse(path string, src []byte) (*File, error) {
	if len(src) > MaxSize {
		return nil, &ParseError{Path: path, Err: fmt.Errorf("file is %d bytes, larger than the %d byte limit", len(src), MaxSize)}
	}
	if err := checkText(src); err != nil {
		err.Path = path
		return nil, err
	}
	f := &File{Path: path, Source: src, Escape: '\\'}
	f.splitLines()
	if len(bytes.TrimSpace(stripBOM(src))) == 0 {
		return nil, &ParseError{Path: path, Err: errors.New("file is empty")}
	}

	if line, n := f.overlongLine(); line > 0 {
		return nil, &ParseError{Path: path, Line: line, Err: fmt.Errorf("line is %d bytes long, longer than the %d bytes BuildKit's parser reads in a line", n, maxLine)}
	}
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, &ParseError{Path: path, Line: errorLine(err), Err: cleanParserError(err)}
	}
	f.Escape = res.EscapeToken
	for _, w := range res.Warnings {
		line := 0
		if w.Location != nil {
			line = w.Location.Start.Line
		}
		f.Warnings = append(f.Warnings, Warning{Line: line, Message: w.Short, URL: w.URL})
	}
	f.readDirectives()
	f.readComments()
	for _, n := range res.AST.Children {
		inst, err := f.newInstruction(n)
		if err != nil {
			return nil, &ParseError{Path: path, Line: n.StartLine, Err: err}
		}
		inst.Index = len(f.Instructions)
		f.Instructions = append(f.Instructions, inst)
	}
	if len(f.Instructions) == 0 {
		return nil, &ParseError{Path: path, Err: errors.New("file has no instructions")}
	}
	f.dropCommentsInside()
	if err := f.checkExpansion(); err != nil {
		return nil, err
	}
	if err := f.buildStages(); err != nil {
		return nil, err
	}
	return f, nil
}

// checkText rejects binary files and invalid UTF-8, naming the line.
func checkText(src []byte) *ParseError {
	line := 1
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == 0:
			return &ParseError{Line: line, Err: errors.New("binary file (contains a NUL byte), not a Dockerfile")}
		case c == '\n':
			line++
			i++
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size <= 1 {
				return &ParseError{Line: line, Err: fmt.Errorf("invalid UTF-8 at byte %d", i)}
			}
			i += size
		}
	}
	return nil
}

// maxLine is the longest line BuildKit's parser reads: it scans lines,
// terminator included, into a buffer of bufio.MaxScanTokenSize bytes.
const maxLine = bufio.MaxScanTokenSize - 1

// overlongLine returns the first line (1-based) BuildKit's parser cannot
// read and its length, or 0. BuildKit reports such a line as an error on
// the line before it (the last one it read), or as a file with no
// instructions when it is the first.
func (f *File) overlongLine() (line, length int) {
	for i, start := range f.lineStart {
		end := len(f.Source)
		if i+1 < len(f.lineStart) {
			end = f.lineStart[i+1]
		}
		raw := end - start // with its terminator, if any
		terminated := end > start && f.Source[end-1] == '\n'
		if raw > bufio.MaxScanTokenSize || !terminated && raw >= bufio.MaxScanTokenSize {
			return i + 1, len(strings.TrimSuffix(strings.TrimSuffix(string(f.Source[start:end]), "\n"), "\r"))
		}
	}
	return 0, 0
}

func stripBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

func (f *File) splitLines() {
	src := f.Source
	start := 0
	for i := 0; i <= len(src); i++ {
		if i == len(src) || src[i] == '\n' {
			if i == len(src) && start == len(src) && len(src) > 0 {
				break // trailing newline: no empty last line
			}
			line := strings.TrimSuffix(string(src[start:i]), "\r")
			f.lineStart = append(f.lineStart, start)
			f.Lines = append(f.Lines, line)
			start = i + 1
		}
	}
	if len(f.Lines) > 0 {
		f.Lines[0] = strings.TrimPrefix(f.Lines[0], "\ufeff")
	}
}

// readDirectives reads the parser directives at the top of the file.
func (f *File) readDirectives() {
	var dp parser.DirectiveParser
	for i, l := range f.Lines {
		if i == 0 && strings.HasPrefix(l, "#!") {
			continue
		}
		d, err := dp.ParseLine([]byte(l))
		if err != nil || d == nil {
			if err != nil {
				continue
			}
			// A blank line or a non-directive ends the directive block;
			// the parser remembers that itself.
			if strings.TrimSpace(l) != "" && !strings.HasPrefix(strings.TrimSpace(l), "#") {
				return
			}
			continue
		}
		f.Directives = append(f.Directives, Directive{Name: d.Name, Value: d.Value, Line: i + 1})
	}
}

// Directive returns the value of the named directive.
func (f *File) Directive(name string) (string, bool) {
	for _, d := range f.Directives {
		if d.Name == name {
			return d.Value, true
		}
	}
	return "", false
}

// readComments records comment lines that are not inside a heredoc body.
func (f *File) readComments() {
	for i, l := range f.Lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "#") {
			f.Comments = append(f.Comments, Comment{Line: i + 1, Text: strings.TrimSpace(t[1:])})
		}
	}
}

// dropHeredocComments removes comments that fall inside instruction
// ranges (heredoc bodies and continuation lines are not Dockerfile
// comments in the first case and belong to the instruction in the second).
func (f *File) dropCommentsInside() {
	out := f.Comments[:0]
	j := 0
	for _, c := range f.Comments {
		for j < len(f.Instructions) && f.Instructions[j].EndLine < c.Line {
			j++
		}
		if j < len(f.Instructions) {
			in := f.Instructions[j]
			if len(in.Heredocs) > 0 && c.Line > in.StartLine && c.Line <= in.EndLine {
				continue
			}
		}
		out = append(out, c)
	}
	f.Comments = out
}

// Offset returns the byte offset in Source of line (1-based) and column
// (1-based, in bytes). Out-of-range positions clamp to the file's ends.
func (f *File) Offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(f.lineStart) {
		return len(f.Source)
	}
	off := f.lineStart[line-1]
	if line == 1 && bytes.HasPrefix(f.Source, []byte("\xef\xbb\xbf")) {
		off += 3
	}
	if col > 1 {
		off += col - 1
	}
	if end := f.LineEnd(line); off > end {
		off = end
	}
	return off
}

// LineEnd returns the byte offset just past the text of line (1-based),
// before its terminator.
func (f *File) LineEnd(line int) int {
	if line < 1 {
		return 0
	}
	if line > len(f.Lines) {
		return len(f.Source)
	}
	off := f.lineStart[line-1] + len(f.Lines[line-1])
	if line == 1 && bytes.HasPrefix(f.Source, []byte("\xef\xbb\xbf")) {
		off += 3
	}
	return off
}

// Newline returns the line terminator the file uses ("\r\n" or "\n").
func (f *File) Newline() string {
	if i := bytes.IndexByte(f.Source, '\n'); i > 0 && f.Source[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

func errorLine(err error) int {
	var le *parser.LocationError
	if errors.As(err, &le) {
		for _, rs := range le.Locations {
			for _, r := range rs {
				if r.Start.Line > 0 {
					return r.Start.Line
				}
			}
		}
	}
	return 0
}

// cleanParserError strips the location wrapper (we print the line
// ourselves) and keeps the parser's message.
func cleanParserError(err error) error {
	var le *parser.LocationError
	if errors.As(err, &le) && le.Unwrap() != nil {
		return le.Unwrap()
	}
	return err
}
