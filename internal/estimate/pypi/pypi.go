// Package pypi is strata estimate's size source for pip: it reads
// requirements files and pip's operands, asks a Python package index's
// JSON API (PyPI's) for each project's files, picks the wheel pip would
// install, and reads the wheel's zip directory with HTTP range requests
// to learn its unpacked size and how much of it is Python source (which
// pip byte-compiles); only the sizes are kept, in the user cache folder.
package pypi

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/stratatools/strata/internal/estimate/fetch"
	"github.com/stratatools/strata/internal/lazyre"
)

// DefaultIndex is PyPI.
const DefaultIndex = "https://pypi.org"

const (
	maxDoc      = 64 << 20
	maxTail     = 4 << 20
	maxProjects = 2000
)

// Requirement is one requirement: a project and its version specifier.
type Requirement struct {
	Name string
	// Pin is the exact version (==), "" when not pinned.
	Pin string
	// Spec is the specifier as written (">=2,<3").
	Spec string
}

var reSep = lazyre.New(`[-_.]+`)

var reReq = lazyre.New(`^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$`)

// ParseRequirement reads one requirement ("flask==3.0.0",
// "requests[socks]>=2 ; python_version>'3'"); ok is false for what is not
// a project from an index (a path, a URL, an option).
func ParseRequirement(s string) (Requirement, bool) {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, ";"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if i := strings.Index(s, " #"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if s == "" || strings.HasPrefix(s, "-") || strings.Contains(s, "://") || strings.Contains(s, "/") || strings.HasPrefix(s, ".") || strings.Contains(s, " @ ") {
		return Requirement{}, false
	}
	m := reReq.FindStringSubmatch(s)
	if m == nil {
		return Requirement{}, false
	}
	r := Requirement{Name: normalize(m[1]), Spec: strings.TrimSpace(m[3])}
	if v, ok := strings.CutPrefix(r.Spec, "=="); ok {
		v = strings.TrimSpace(strings.TrimPrefix(v, "="))
		if !strings.ContainsAny(v, ",*<>!~= ") {
			r.Pin = v
		}
	}
	return r, true
}

// ParseRequirementsFile reads a requirements file: one requirement a
// line, comments and continuation lines handled; local projects (./dir,
// -e ./dir, file paths) are returned apart; options (-r, -c,
// --index-url) and URLs are returned as notes, not followed.
func ParseRequirementsFile(b []byte) (reqs []Requirement, local, notes []string) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	var cont string
	for sc.Scan() {
		l := cont + sc.Text()
		cont = ""
		if strings.HasSuffix(l, "\\") {
			cont = strings.TrimSuffix(l, "\\")
			continue
		}
		if i := strings.Index(l, "#"); i >= 0 {
			l = l[:i]
		}
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if e, ok := strings.CutPrefix(l, "-e "); ok {
			l = strings.TrimSpace(e)
		} else if e, ok := strings.CutPrefix(l, "--editable "); ok {
			l = strings.TrimSpace(e)
		}
		if strings.HasPrefix(l, "-") {
			notes = append(notes, "not followed: "+l)
			continue
		}
		if r, ok := ParseRequirement(l); ok {
			reqs = append(reqs, r)
		} else if IsLocal(l) {
			local = append(local, l)
		} else {
			notes = append(notes, "not from an index: "+l)
		}
	}
	return reqs, local, notes
}

// IsLocal reports whether a requirement names a local project or file
// (./dir, ../x, /abs/path, a .whl or archive path).
func IsLocal(s string) bool {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "://") {
		return false
	}
	return strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/") || strings.Contains(s, "/") ||
		strings.HasSuffix(s, ".whl") || strings.HasSuffix(s, ".tar.gz") || strings.HasSuffix(s, ".zip")
}

// normalize is PEP 503's name normalisation.
func normalize(name string) string {
	return strings.ToLower(reSep.Regexp().ReplaceAllString(name, "-"))
}

// Client asks a package index.
type Client struct {
	Fetch *fetch.Client
	Cache fetch.Cache
	// Index is the index's URL (default DefaultIndex); its JSON API is at
	// /pypi/NAME/json.
	Index string
	// Python is the interpreter's tag ("cp311"); "" accepts any wheel.
	Python string
	// Arch is the wheel platform's machine ("x86_64").
	Arch string
	Jobs int
}

// Dist is the file pip installs for one project.
type Dist struct {
	Name     string `json:"name"`
	Version  string `json:"version"`
	Filename string `json:"filename"`
	// Size is the file's size (what pip's cache keeps); Unpacked what
	// its files take installed; Source the part of Unpacked that is
	// Python source, which pip byte-compiles.
	Size     int64 `json:"size"`
	Unpacked int64 `json:"unpacked"`
	Source   int64 `json:"source"`
	// Sdist is true when the project has no wheel pip can use: pip
	// builds one, and its size is a guess from the source archive.
	Sdist bool `json:"sdist,omitempty"`
	// Exact is true when Unpacked comes from the wheel's directory.
	Exact    bool     `json:"exact"`
	Requires []string `json:"requires,omitempty"`
}

type projectDoc struct {
	Info struct {
		Name         string   `json:"name"`
		Version      string   `json:"version"`
		RequiresDist []string `json:"requires_dist"`
	} `json:"info"`
	URLs []struct {
		Filename    string `json:"filename"`
		PackageType string `json:"packagetype"`
		Size        int64  `json:"size"`
		URL         string `json:"url"`
		Yanked      bool   `json:"yanked"`
	} `json:"urls"`
}

func (c *Client) index() string {
	if c.Index != "" {
		return strings.TrimRight(c.Index, "/")
	}
	return DefaultIndex
}

// Resolve returns the dists pip installs for reqs and their dependencies
// (the newest version of each unpinned project, extras and environment
// markers left aside). Projects it could not learn are errors, joined.
func (c *Client) Resolve(ctx context.Context, reqs []Requirement) ([]Dist, error) {
	seen := map[string]bool{}
	var out []Dist
	var errs []error
	queue := reqs
	for len(queue) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var round []Requirement
		for _, r := range queue {
			if !seen[r.Name] {
				seen[r.Name] = true
				round = append(round, r)
			}
		}
		queue = nil
		if len(out)+len(round) > maxProjects {
			errs = append(errs, fmt.Errorf("more than %d projects: the rest are not counted", maxProjects))
			break
		}
		dists := make([]Dist, len(round))
		rerrs := make([]error, len(round))
		var wg sync.WaitGroup
		sem := make(chan struct{}, max(1, c.Jobs, 8))
		for i, r := range round {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				dists[i], rerrs[i] = c.dist(ctx, r)
			}()
		}
		wg.Wait()
		for i := range round {
			if rerrs[i] != nil {
				errs = append(errs, rerrs[i])
				continue
			}
			out = append(out, dists[i])
			for _, rd := range dists[i].Requires {
				if strings.Contains(rd, "extra ==") || strings.Contains(rd, "extra==") {
					continue
				}
				if r, ok := ParseRequirement(rd); ok && !seen[r.Name] {
					queue = append(queue, r)
				}
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, errors.Join(errs...)
}

func distKey(name, version, py, arch string) string {
	h := sha256.Sum256([]byte(strings.Join([]string{name, version, py, arch}, "\x00")))
	return "pypi-" + hex.EncodeToString(h[:12]) + ".json"
}

// dist learns what pip installs for one requirement.
func (c *Client) dist(ctx context.Context, r Requirement) (Dist, error) {
	if r.Pin != "" {
		if b, _, err := c.Cache.Read(distKey(r.Name, r.Pin, c.Python, c.Arch), 1<<20); err == nil {
			var d Dist
			if json.Unmarshal(b, &d) == nil && d.Name == r.Name {
				return d, nil
			}
		}
	}
	u := c.index() + "/pypi/" + r.Name + "/json"
	if r.Pin != "" {
		u = c.index() + "/pypi/" + r.Name + "/" + r.Pin + "/json"
	}
	b, err := c.Fetch.Get(ctx, u, maxDoc)
	if err != nil {
		return Dist{}, fmt.Errorf("%s: %w", r.Name, err)
	}
	var doc projectDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return Dist{}, fmt.Errorf("%s: the index's document does not parse: %w", r.Name, err)
	}
	d := Dist{Name: r.Name, Version: doc.Info.Version, Requires: doc.Info.RequiresDist}
	best, bestScore, sdist := -1, -1, -1
	for i, f := range doc.URLs {
		if f.Yanked {
			continue
		}
		switch f.PackageType {
		case "bdist_wheel":
			if s := c.wheelScore(f.Filename); s > bestScore {
				best, bestScore = i, s
			}
		case "sdist":
			sdist = i
		}
	}
	switch {
	case best >= 0:
		f := doc.URLs[best]
		d.Filename, d.Size = f.Filename, f.Size
		if un, src, err := c.wheelSizes(ctx, f.URL, f.Size); err == nil {
			d.Unpacked, d.Source, d.Exact = un, src, true
		} else {
			// A wheel unpacks to 2 to 4 times its size; most of a pure
			// Python wheel is source.
			d.Unpacked, d.Source = f.Size*5/2, f.Size*3/2
		}
	case sdist >= 0:
		f := doc.URLs[sdist]
		d.Filename, d.Size, d.Sdist = f.Filename, f.Size, true
		d.Unpacked, d.Source = f.Size*3, f.Size
	default:
		return Dist{}, fmt.Errorf("%s %s: the index lists no file pip can install", r.Name, d.Version)
	}
	if enc, err := json.Marshal(d); err == nil {
		_ = c.Cache.Write(distKey(r.Name, d.Version, c.Python, c.Arch), enc)
	}
	return d, nil
}

// wheelScore ranks a wheel's file name for this interpreter and
// platform: -1 when pip would not install it.
func (c *Client) wheelScore(name string) int {
	base := strings.TrimSuffix(name, ".whl")
	parts := strings.Split(base, "-")
	if len(parts) < 5 {
		return -1
	}
	py, abi, plat := parts[len(parts)-3], parts[len(parts)-2], parts[len(parts)-1]
	score := 0
	switch {
	case plat == "any":
		score += 1
	case strings.Contains(plat, "manylinux") || strings.Contains(plat, "musllinux") || strings.HasPrefix(plat, "linux"):
		if c.Arch != "" && !strings.Contains(plat, c.Arch) {
			return -1
		}
		score += 3
		if strings.Contains(plat, "musllinux") {
			score-- // glibc images are the common case
		}
	default:
		return -1 // macOS, Windows
	}
	switch {
	case c.Python == "":
		score += 1
	case strings.Contains(py, c.Python):
		score += 3
	case abi == "abi3" || strings.HasPrefix(py, "py3") || strings.Contains(py, ".py3"):
		score += 2
	case strings.HasPrefix(py, "py2.py3"):
		score += 2
	default:
		return -1
	}
	return score
}

// wheelSizes reads a wheel's zip directory from the end of the file (two
// range requests at most) and sums its files' uncompressed sizes, and
// those of its .py files.
func (c *Client) wheelSizes(ctx context.Context, u string, size int64) (unpacked, source int64, err error) {
	if size <= 0 {
		return 0, 0, errors.New("unknown wheel size")
	}
	tail := min(size, 64<<10)
	b, err := c.rangeGet(ctx, u, size-tail, size-1)
	if err != nil {
		return 0, 0, err
	}
	ra := &tailReader{tail: b, off: size - tail}
	zr, err := zip.NewReader(ra, size)
	if errors.Is(err, errOutside) && size > tail {
		// The directory is larger than the first read: read more.
		need := min(size, maxTail)
		if b, err = c.rangeGet(ctx, u, size-need, size-1); err != nil {
			return 0, 0, err
		}
		ra = &tailReader{tail: b, off: size - need}
		zr, err = zip.NewReader(ra, size)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("reading the wheel's directory: %w", err)
	}
	for _, f := range zr.File {
		unpacked += int64(f.UncompressedSize64)
		if strings.HasSuffix(f.Name, ".py") {
			source += int64(f.UncompressedSize64)
		}
	}
	return unpacked, source, nil
}

func (c *Client) rangeGet(ctx context.Context, u string, from, to int64) ([]byte, error) {
	var out []byte
	err := c.Fetch.Stream(ctx, u, func(r io.Reader, n int64) error {
		want := to - from + 1
		if n > want {
			return errors.New("the server ignores range requests")
		}
		b, err := io.ReadAll(io.LimitReader(r, want+1))
		if err != nil {
			return err
		}
		if int64(len(b)) != want {
			return fmt.Errorf("asked for %d bytes, got %d", want, len(b))
		}
		out = b
		return nil
	}, "Range", fmt.Sprintf("bytes=%d-%d", from, to))
	return out, err
}

var errOutside = errors.New("read outside the fetched tail of the file")

// tailReader serves the last bytes of a file to archive/zip.
type tailReader struct {
	tail []byte
	off  int64
}

func (t *tailReader) ReadAt(p []byte, off int64) (int, error) {
	if off < t.off {
		return 0, errOutside
	}
	i := off - t.off
	if i >= int64(len(t.tail)) {
		return 0, io.EOF
	}
	n := copy(p, t.tail[i:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}
