package buildcontext

import (
	"bytes"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// junkDirs are directory names that are junk wherever they are.
var junkDirs = map[string]string{
	".git": JunkVCS, ".hg": JunkVCS, ".svn": JunkVCS, ".bzr": JunkVCS,
	"node_modules": JunkDeps, "bower_components": JunkDeps, ".yarn": JunkDeps,
	".venv": JunkVenv, "venv": JunkVenv,
	"__pycache__":   JunkBytecode,
	".pytest_cache": JunkCaches, ".mypy_cache": JunkCaches, ".ruff_cache": JunkCaches, ".tox": JunkCaches,
	".nox": JunkCaches, ".nyc_output": JunkCaches, "htmlcov": JunkCaches, ".cache": JunkCaches,
	".gradle": JunkCaches, ".terraform": JunkCaches,
	".idea": JunkEditor, ".vscode": JunkEditor,
	".next": JunkOutput, ".nuxt": JunkOutput,
}

// topOutputDirs are build output when they sit at the top of the context.
var topOutputDirs = map[string]bool{"dist": true, "build": true, "target": true, "out": true, "coverage": true}

// junkFiles are file names that are junk wherever they are.
var junkFiles = map[string]string{
	".DS_Store": JunkEditor, "Thumbs.db": JunkEditor, ".coverage": JunkCaches,
}

// archiveExts are file extensions of archives and packaged binaries.
var archiveExts = []string{
	".zip", ".tar", ".tgz", ".gz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".iso", ".dmg",
	".deb", ".rpm", ".exe", ".dll", ".so", ".dylib", ".bin", ".img", ".qcow2", ".vmdk",
}

// largeFile is the size from which an archive or binary counts as junk.
const largeFile = 1_000_000

// junkRoot returns the junk path that holds the entry rel (the entry
// itself or a directory above it) and its category; "" when rel is not
// junk. isDir says whether rel is a directory. For a large file that is
// not junk by name, magic is checked by readMagic.
func (a *analysis) junkRoot(rel string, isDir bool, size int64) (string, string) {
	start := 0
	for i := 0; start <= len(rel); i++ {
		end := strings.IndexByte(rel[start:], '/')
		last := end < 0
		if last {
			end = len(rel)
		} else {
			end += start
		}
		p, upto := rel[start:end], rel[:end]
		if !last || isDir {
			if c, ok := junkDirs[p]; ok {
				return upto, c
			}
			if i == 0 && topOutputDirs[p] {
				return p, JunkOutput
			}
			if (p == "env" || p == "virtualenv") && a.isVirtualenv(upto) {
				return upto, JunkVenv
			}
			if strings.HasSuffix(p, ".egg-info") {
				return upto, JunkOutput
			}
		}
		if last {
			break
		}
		start = end + 1
	}
	if isDir {
		return "", ""
	}
	base := path.Base(rel)
	if c, ok := junkFiles[base]; ok {
		return rel, c
	}
	lower := strings.ToLower(base)
	switch {
	case strings.HasSuffix(lower, ".pyc"), strings.HasSuffix(lower, ".pyo"):
		return rel, JunkBytecode
	case strings.HasSuffix(lower, ".log"), strings.HasPrefix(lower, "npm-debug.log"), strings.HasPrefix(lower, "yarn-error.log"):
		return rel, JunkLogs
	case strings.HasSuffix(lower, ".swp"), strings.HasSuffix(lower, ".swo"), strings.HasSuffix(base, "~"):
		return rel, JunkEditor
	}
	if size >= largeFile {
		for _, ext := range archiveExts {
			if strings.HasSuffix(lower, ext) {
				return rel, JunkArchives
			}
		}
		if path.Ext(lower) == "" && a.isBinary(rel) {
			return rel, JunkArchives
		}
	}
	return "", ""
}

// isVirtualenv reports whether the context directory rel holds a Python
// virtualenv (its pyvenv.cfg).
func (a *analysis) isVirtualenv(rel string) bool {
	if v, ok := a.venvs[rel]; ok {
		return v
	}
	_, err := os.Lstat(filepath.Join(a.dir, filepath.FromSlash(rel), "pyvenv.cfg"))
	a.venvs[rel] = err == nil
	return err == nil
}

// binaryMagic are the first bytes of executables and libraries: ELF,
// Mach-O (both byte orders, 32 and 64 bits, fat) and PE.
var binaryMagic = [][]byte{
	{0x7f, 'E', 'L', 'F'},
	{0xfe, 0xed, 0xfa, 0xce}, {0xfe, 0xed, 0xfa, 0xcf}, {0xce, 0xfa, 0xed, 0xfe}, {0xcf, 0xfa, 0xed, 0xfe},
	{0xca, 0xfe, 0xba, 0xbe},
	{'M', 'Z'},
}

// isBinary reports whether the context file rel starts like an
// executable.
func (a *analysis) isBinary(rel string) bool {
	f, err := os.Open(filepath.Join(a.dir, filepath.FromSlash(rel)))
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	for _, m := range binaryMagic {
		if n >= len(m) && bytes.Equal(head[:len(m)], m) {
			return true
		}
	}
	return false
}
