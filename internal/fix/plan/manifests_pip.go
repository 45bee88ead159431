package plan

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

// Requirement files that name local paths: pip install -r reads them,
// and also the local projects, archives and nested requirement files
// they name, which must be copied with them. Those come back as
// context-relative paths, directories with a trailing slash.

// maxRequirementsRead bounds what is read of one requirement file.
const maxRequirementsRead = 1 << 20

// requirementPaths returns what the requirement file rel (context-
// relative, under dest) needs besides itself: the context paths of the
// local projects and archives it names (resolved against dir, where pip
// runs), of the nested requirement and constraint files (against the
// file's own directory) and of the local --find-links directories. ok is
// false when a path cannot be told or lies outside what the COPY of the
// context to dest puts there. A file that cannot be read needs nothing
// more, as before the check.
func requirementPaths(ctx Context, rel, dir, dest string, depth int) (paths []string, ok bool) {
	r, isReader := ctx.(contextReader)
	if !isReader || depth > 4 {
		return nil, depth <= 4
	}
	data, err := r.ReadFile(rel, maxRequirementsRead)
	if err != nil {
		return nil, true
	}
	local := func(p string, base string) bool {
		if p == "" || strings.ContainsAny(p, "$`*?[") {
			return false
		}
		abs := dockerfile.ResolvePath(base, p)
		cr, in := under(dest, abs)
		if !in || !ctx.Exists(cr) {
			return false
		}
		if !isRequirementFile(cr) {
			cr = strings.TrimSuffix(cr, "/") + "/"
			if strings.HasSuffix(p, ".whl") || strings.HasSuffix(p, ".tar.gz") || strings.HasSuffix(p, ".zip") {
				cr = strings.TrimSuffix(cr, "/")
			}
		}
		paths = append(paths, cr)
		return true
	}
	fileDir := path.Dir(path.Join(dest, rel))
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(stripRequirementComment(line))
		if line == "" {
			continue
		}
		fields := strings.Fields(line)
		opt, val := fields[0], ""
		if i := strings.IndexByte(opt, '='); strings.HasPrefix(opt, "--") && i > 0 {
			opt, val = opt[:i], opt[i+1:]
		} else if len(fields) > 1 {
			val = fields[1]
		}
		if strings.HasPrefix(opt, "-r") && opt != "-r" || strings.HasPrefix(opt, "-c") && opt != "-c" {
			opt, val = opt[:2], opt[2:] // -rbase.txt
		}
		switch opt {
		case "-r", "--requirement", "-c", "--constraint":
			if !local(val, fileDir) {
				return nil, false
			}
			nested := paths[len(paths)-1]
			more, ok := requirementPaths(ctx, nested, dir, dest, depth+1)
			if !ok {
				return nil, false
			}
			paths = append(paths, more...)
		case "-e", "--editable":
			if strings.Contains(val, "://") && !strings.HasPrefix(val, "file:") {
				continue // a VCS URL: fetched, not read from the context
			}
			if !local(val, dir) {
				return nil, false
			}
		case "-f", "--find-links":
			if strings.Contains(val, "://") {
				continue
			}
			if !local(val, dir) {
				return nil, false
			}
		default:
			switch {
			case strings.HasPrefix(opt, "-"):
				// --index-url, --hash, --no-binary ...: no local path.
			case strings.HasPrefix(line, "file:") || strings.Contains(line, "@ file:"):
				return nil, false
			case strings.HasPrefix(opt, ".") || strings.HasPrefix(opt, "/") || strings.Contains(opt, "/") && !strings.Contains(opt, "://") && !strings.Contains(line, "@"):
				if !local(opt, dir) {
					return nil, false
				}
			}
		}
	}
	return paths, true
}

// stripRequirementComment removes a requirement line's comment: from a
// # at its start or after white space.
func stripRequirementComment(line string) string {
	for i := 0; i < len(line); i++ {
		if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return line[:i]
		}
	}
	return line
}

// isRequirementFile reports whether a path names a requirement or
// constraint file rather than a project.
func isRequirementFile(p string) bool {
	return strings.HasSuffix(p, ".txt") || strings.HasSuffix(p, ".in")
}
