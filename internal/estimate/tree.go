package estimate

import (
	"path"
	"strings"
)

// entry is something a step wrote at a path of a stage's file system, as
// far as the estimate follows it: files copied from the context (each
// with its size), or a size under a path (a stage's output copied in, a
// build's output, a download).
type entry struct {
	path string
	// files are the files below path by relative path ("" is path
	// itself), when known one by one.
	files map[string]int64
	// ctx maps a file of files to its path in the build context (for
	// copies from the context).
	ctx map[string]string
	// size is the whole entry's size when files is nil.
	size Range
	conf Confidence
	// source says where the figure came from.
	source string
	// artifact, for a build's output directory, is what one output file
	// named below it weighs (a program a compiler wrote).
	artifact *Part
	removed  bool
}

// tree is what the steps of a stage wrote, in order.
type tree struct {
	entries []*entry
}

func (t *tree) clone() *tree {
	c := &tree{entries: make([]*entry, len(t.entries))}
	for i, e := range t.entries {
		cp := *e
		if e.files != nil {
			cp.files = make(map[string]int64, len(e.files))
			for k, v := range e.files {
				cp.files[k] = v
			}
		}
		c.entries[i] = &cp
	}
	return c
}

func (t *tree) add(e *entry) { t.entries = append(t.entries, e) }

// under reports whether p is q or below it.
func under(p, q string) bool {
	return p == q || q == "/" || strings.HasPrefix(p, q+"/")
}

// remove forgets what is at p and below (a later rm; the bytes stay in
// the earlier layer, but a COPY --from no longer sees them).
func (t *tree) remove(p string) {
	p = path.Clean(p)
	for _, e := range t.entries {
		switch {
		case under(e.path, p):
			e.removed = true
		case under(p, e.path) && e.files != nil:
			sub := strings.TrimPrefix(strings.TrimPrefix(p, e.path), "/")
			for rel := range e.files {
				if rel == sub || strings.HasPrefix(rel, sub+"/") {
					delete(e.files, rel)
				}
			}
		}
	}
}

// found is what a lookup found below a path.
type found struct {
	size    Range
	conf    Confidence
	sources []string
	files   int
}

// lookup sums what the stage wrote at p and below. A build's output
// directory counts for a path below it that no known file is (the
// program a compiler wrote there).
func (t *tree) lookup(p string) (found, bool) {
	p = path.Clean(p)
	var f found
	ok := false
	addSrc := func(s string) {
		for _, x := range f.sources {
			if x == s {
				return
			}
		}
		f.sources = append(f.sources, s)
	}
	var artifacts []*Part
	for _, e := range t.entries {
		if e.removed {
			continue
		}
		switch {
		case under(e.path, p):
			if e.files != nil {
				var n int64
				for _, s := range e.files {
					n += s
				}
				f.size = f.size.Add(Point(n))
				f.files += len(e.files)
			} else {
				f.size = f.size.Add(e.size)
			}
			f.conf = Weaker(f.conf, e.conf)
			addSrc(e.source)
			ok = true
		case under(p, e.path):
			if e.artifact != nil {
				artifacts = append(artifacts, e.artifact)
			}
			if e.files == nil {
				continue
			}
			sub := strings.TrimPrefix(strings.TrimPrefix(p, e.path), "/")
			var n int64
			hit := false
			for rel, s := range e.files {
				if rel == sub || strings.HasPrefix(rel, sub+"/") {
					n += s
					f.files++
					hit = true
				}
			}
			if hit {
				f.size = f.size.Add(Point(n))
				f.conf = Weaker(f.conf, e.conf)
				addSrc(e.source)
				ok = true
			}
		}
	}
	if !ok && len(artifacts) > 0 {
		a := artifacts[len(artifacts)-1]
		f.size, f.conf = a.Size, a.Confidence
		addSrc(a.Source)
		ok = true
	}
	return f, ok
}

// contextFilesUnder returns the context files the stage holds below dir
// (absolute), with their context paths, for the steps that read them.
func (t *tree) contextFilesUnder(dir string) []copied {
	var out []copied
	for _, e := range t.entries {
		if e.removed || e.files == nil || e.ctx == nil {
			continue
		}
		for rel, size := range e.files {
			abs := path.Join(e.path, rel)
			if under(abs, dir) {
				out = append(out, copied{ctxRel: e.ctx[rel], dstRel: abs, size: size})
			}
		}
	}
	return out
}
