package check

import (
	"fmt"
	"path"
	"strings"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/vocab"
)

// toolchainSpec recognizes a build toolchain by a file it always ships and
// measures it by its home directory.
type toolchainSpec struct {
	what string
	// marker matches the file (Matcher pattern, full match).
	marker string
	// home derives the toolchain's directory from the marker's path.
	home func(marker string) string
}

// up returns a function that drops n trailing path elements.
func up(n int) func(string) string {
	return func(p string) string {
		for ; n > 0; n-- {
			p = parentDir(p)
		}
		return p
	}
}

var compilerSpecs = []toolchainSpec{
	{"C compiler (gcc)", "usr/lib/gcc/*/*/cc1", up(1)},
	{"C compiler (gcc)", "usr/libexec/gcc/*/*/cc1", up(1)},
	{"C++ compiler (g++)", "usr/lib/gcc/*/*/cc1plus", up(1)},
	{"C++ compiler (g++)", "usr/libexec/gcc/*/*/cc1plus", up(1)},
	{"clang", "usr/lib/llvm-*/bin/clang", up(2)},
	{"clang", "usr/bin/clang", up(0)},
	{"Rust compiler", "**/toolchains/*/bin/rustc", up(2)},
	{"Rust compiler", "usr/bin/rustc", up(0)},
	{"Go toolchain", "usr/local/go/bin/go", up(2)},
	{"Go toolchain", "usr/lib/go-*/bin/go", up(2)},
}

var jdkSpecs = []toolchainSpec{
	{"JDK", "**/bin/javac", up(2)},
}

// toolchainRules report compilers and SDKs in the final image.
func toolchainRules() []Rule {
	return []Rule{
		{
			ID: "SI020", Name: "compiler-in-image", Severity: vocab.Warning,
			Category: vocab.Size, Checklist: vocab.SizeMultiStage,
			Doc: Doc{
				Summary: "A compiler or build toolchain is in the final image",
				Why: "Compilers are needed to build, not to run. Build in one stage and copy the result into a " +
					"runtime stage: the image gets smaller and offers an attacker fewer tools.",
			},
			Check: func(r *image.Result) []Hit {
				return checkToolchains(r, compilerSpecs, "build in a separate stage and copy only the result")
			},
		},
		{
			ID: "SI021", Name: "jdk-in-image", Severity: vocab.Warning,
			Category: vocab.Size, Checklist: vocab.SizeMultiStage,
			Doc: Doc{
				Summary: "A full JDK is in the final image where a JRE would do",
				Why: "Running Java needs a JRE (or a jlink-made runtime), not the compiler and tools of a JDK, " +
					"which add hundreds of megabytes.",
			},
			Check: func(r *image.Result) []Hit {
				return checkToolchains(r, jdkSpecs, "run on a JRE base (e.g. eclipse-temurin:*-jre) or a jlink runtime")
			},
		},
	}
}

func checkToolchains(r *image.Result, specs []toolchainSpec, fix string) []Hit {
	matchers := make([]*image.Matcher, len(specs))
	// The markers' file names: a file by another name is no marker (one
	// lookup per file rather than one match per spec).
	names := map[string]bool{}
	for i, s := range specs {
		matchers[i] = matcher(s.marker)
		if base := path.Base(s.marker); strings.ContainsAny(base, "*?[") {
			names = nil // a wildcard name: every file is a candidate
		} else if names != nil {
			names[base] = true
		}
	}
	index := map[string]int{}
	for i, f := range r.Files {
		if f.Kind == image.KindDir {
			index[f.Path] = i
		}
	}
	var hits []Hit
	seen := map[string]bool{}
	for _, f := range r.Files {
		if f.Kind != image.KindFile && f.Kind != image.KindSymlink && f.Kind != image.KindHardlink {
			continue
		}
		if names != nil && !names[path.Base(f.Path)] {
			continue
		}
		for i, s := range specs {
			if !matchers[i].MatchExact(f.Path) {
				continue
			}
			home := s.home(f.Path)
			key := s.what + "\x00" + home
			if seen[key] {
				continue
			}
			seen[key] = true
			size := f.Size
			where := "/" + f.Path
			if j, ok := index[home]; ok && home != "" {
				size = r.Files[j].Size
				where = "/" + home
			}
			origin := "the base image"
			if userLayer(r, f.Layer) {
				origin = layerName(r, f.Layer)
			}
			hits = append(hits, Hit{
				Message: fmt.Sprintf("%s in the final image: %s (%s), from %s; %s", s.what, where, vocab.FormatSize(size), origin, fix),
				Path:    strings.TrimPrefix(where, "/"), Layer: f.Layer, Bytes: size,
			})
		}
	}
	return hits
}
