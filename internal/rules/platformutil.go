package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/lazyre"
)

// Platforms (--platform, TARGETPLATFORM) as BuildKit parses and
// normalizes them.

// bkPlatform is a parsed platform specifier. Arch is "" when the specifier
// names only an operating system (the builder then picks its own).
type bkPlatform struct {
	OS, Arch, Variant string
}

func (p bkPlatform) String() string {
	s := p.OS
	if p.Arch != "" {
		s += "/" + p.Arch
		if p.Variant != "" {
			s += "/" + p.Variant
		}
	}
	return s
}

var (
	bkPlatformOSRe   = lazyre.New(`^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.-]*)\))?$`)
	bkPlatformPartRe = lazyre.New(`^[A-Za-z0-9_-]+$`)
)

var bkKnownOS = [...]string{"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
	"linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos"}

var bkKnownArch = [...]string{"386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "ppc64", "ppc64le",
	"loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "riscv", "riscv64",
	"s390", "s390x", "sparc", "sparc64", "wasm"}

func bkInList(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// bkParsePlatform reads an os[/arch[/variant]] specifier the way
// containerd's platform parser does, normalizing architecture aliases
// (x86_64 is amd64, aarch64 is arm64). A lone architecture gets the linux
// operating system BuildKit builders run.
func bkParsePlatform(s string) (bkPlatform, bool) {
	if strings.Contains(s, "*") {
		return bkPlatform{}, false
	}
	parts := strings.SplitN(s, "/", 4)
	m := bkPlatformOSRe.FindStringSubmatch(parts[0])
	if m == nil {
		return bkPlatform{}, false
	}
	for _, p := range parts[1:] {
		if !bkPlatformPartRe.MatchString(p) {
			return bkPlatform{}, false
		}
	}
	os := strings.ToLower(m[1])
	if os == "macos" {
		os = "darwin"
	}
	switch len(parts) {
	case 1:
		if bkInList(bkKnownOS[:], os) {
			return bkPlatform{OS: os}, true
		}
		arch, variant := bkNormalizeArch(parts[0], "")
		if bkInList(bkKnownArch[:], arch) {
			return bkPlatform{OS: "linux", Arch: arch, Variant: variant}, true
		}
		return bkPlatform{}, false
	case 2:
		arch, variant := bkNormalizeArch(parts[1], "")
		return bkPlatform{OS: os, Arch: arch, Variant: variant}, true
	case 3:
		arch, variant := bkNormalizeArch(parts[1], parts[2])
		return bkPlatform{OS: os, Arch: arch, Variant: variant}, true
	}
	return bkPlatform{}, false
}

func bkNormalizeArch(arch, variant string) (string, string) {
	arch, variant = strings.ToLower(arch), strings.ToLower(variant)
	switch arch {
	case "i386":
		return "386", ""
	case "x86_64", "x86-64", "amd64":
		if variant == "v1" {
			variant = ""
		}
		return "amd64", variant
	case "aarch64", "arm64":
		if variant == "8" || variant == "v8" || variant == "v8.0" {
			variant = "v8"
		}
		return "arm64", variant
	case "armhf":
		return "arm", "v7"
	case "armel":
		return "arm", "v6"
	case "arm":
		switch variant {
		case "", "7":
			variant = "v7"
		case "5", "6", "8":
			variant = "v" + variant
		}
		return "arm", variant
	}
	return arch, variant
}
