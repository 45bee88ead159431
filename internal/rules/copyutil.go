package rules

import (
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

// COPY and ADD: their sources (remote URLs, archives, the whole build
// context), their --from references and destinations, and what the
// build context holds.

// isEnvFile reports whether name is a dotenv file (.env, .env.local,
// .env.production), leaving out examples and templates.
func isEnvFile(name string) bool {
	if name == ".env" {
		return true
	}
	rest, ok := strings.CutPrefix(name, ".env.")
	if !ok {
		return false
	}
	switch strings.ToLower(rest) {
	case "example", "sample", "template", "dist", "defaults", "schema":
		return false
	}
	return true
}

func isDir(bc *BuildContext, rel string) bool {
	if !bc.Known() {
		return false
	}
	fi, err := os.Stat(filepath.Join(bc.Dir, filepath.FromSlash(rel)))
	return err == nil && fi.IsDir()
}

// archiveSuffixes are the file name endings of the compressed and tar
// formats ADD unpacks.
var archiveSuffixes = []string{
	".tar", ".tar.gz", ".tgz", ".gz", ".bz2", ".tbz", ".tbz2", ".tb2", ".xz", ".txz",
	".lz", ".lzma", ".tlz", ".z", ".tz", ".tpz", ".zst", ".tzst",
}

// isArchiveName reports whether a source path names an archive ADD
// would unpack, judged by its extension.
func isArchiveName(s string) bool {
	l := strings.ToLower(s)
	for _, suf := range archiveSuffixes {
		if strings.HasSuffix(l, suf) {
			return true
		}
	}
	return false
}

// isRemoteSource reports whether an ADD source is fetched rather than
// read from the build context: an HTTP(S) URL or a Git repository.
func isRemoteSource(s string) bool {
	l := strings.ToLower(s)
	for _, p := range []string{"http://", "https://", "git://", "ssh://", "git@"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// copyFromRef returns the --from value of a COPY in a stage, with quotes
// removed and global build arguments expanded; ok is false when the
// instruction has none or it cannot be resolved.
func copyFromRef(f *dockerfile.File, in *dockerfile.Instruction) (string, bool) {
	if in.Cmd != "copy" {
		return "", false
	}
	v, has := in.Flag("from")
	if !has {
		return "", false
	}
	v = dockerfile.TrimQuotes(v)
	if dockerfile.HasVariable(v) {
		var ok bool
		if v, ok = expandGlobal(f, v); !ok {
			return "", false
		}
	}
	return v, v != ""
}

// isOwnStage reports whether ref names st itself, by name or index.
func isOwnStage(st *dockerfile.Stage, ref string) bool {
	if st.Name != "" && strings.EqualFold(st.Name, ref) {
		return true
	}
	n, err := strconv.Atoi(ref)
	return err == nil && n == st.Index
}

// copyDests returns the absolute paths a COPY or ADD creates, when they
// can be told: the destination file, or destination directory plus each
// source's base name. Local archives ADD unpacks are left out.
func copyDests(in *dockerfile.Instruction) []string {
	if len(in.Args) < 2 {
		return nil
	}
	dest := dockerfile.TrimQuotes(in.Args[len(in.Args)-1])
	if dockerfile.HasVariable(dest) {
		return nil
	}
	if !path.IsAbs(dest) {
		wd := in.Workdir()
		if wd == "" {
			return nil
		}
		dest = path.Join(wd, dest)
	}
	srcs := copySources(in)
	_, fromStage := in.Flag("from")
	dir := strings.HasSuffix(in.Args[len(in.Args)-1], "/") || len(srcs) > 1
	var out []string
	for _, s := range srcs {
		s = dockerfile.TrimQuotes(s)
		if dockerfile.HasVariable(s) || strings.ContainsAny(s, "*?[") || strings.HasPrefix(s, "<<") {
			continue
		}
		if in.Cmd == "add" && !isRemoteSource(s) && isArchiveName(s) {
			continue
		}
		if !dir {
			out = append(out, path.Clean(dest))
			continue
		}
		// A directory source copies its contents, not itself: only
		// sources that look like files name what lands in dest.
		b := path.Base(strings.TrimRight(s, "/"))
		if isRemoteSource(s) {
			b = path.Base(strings.SplitN(s, "?", 2)[0])
		} else if strings.HasSuffix(s, "/") || !fromStage && !strings.Contains(strings.TrimPrefix(b, "."), ".") {
			// From another stage a source is usually a built file (a
			// binary without extension); from the context, a name
			// without extension is as likely a directory.
			continue
		}
		if b == "." || b == "/" || b == "" {
			continue
		}
		out = append(out, path.Join(dest, b))
	}
	return out
}

// copySources returns the source operands of a COPY or ADD (the last
// argument is the destination).
func copySources(in *dockerfile.Instruction) []string {
	if len(in.Args) < 2 {
		return nil
	}
	return in.Args[:len(in.Args)-1]
}

// fromContext reports whether a COPY or ADD reads the build context (no
// --from, and for ADD not a URL or git source).
func fromContext(in *dockerfile.Instruction) bool {
	if in.Cmd != "copy" && in.Cmd != "add" {
		return false
	}
	if _, ok := in.Flag("from"); ok {
		return false
	}
	if len(in.Heredocs) > 0 && len(in.Args) <= 2 {
		return false
	}
	for _, s := range copySources(in) {
		if !sdRemoteSource(s) {
			return true
		}
	}
	return false
}

func sdRemoteSource(s string) bool {
	return isRemoteSource(s) || strings.HasPrefix(s, "<<")
}
