package plan

import (
	"fmt"
	"path"
	"strings"

	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// BusyBox applets: a command such as busybox httpd serving a site the
// build generated needs only the directories it names, on the busybox
// image.

// planBusybox copies the application directories the busybox command
// names onto busybox:latest.
func (b *build) planBusybox() (runtimeStage, []edit.TextEdit, bool) {
	var copies []string
	for _, a := range b.argv[1:] {
		if path.IsAbs(a) && !systemDir(a) {
			copies = append(copies, path.Clean(a))
		}
	}
	if len(copies) == 0 {
		return runtimeStage{declined: "the BusyBox command names no directory of the application"}, nil, false
	}
	if w, ok := writableDirs(b.p, b.st.Chain(), runUser{uid: newUID}); !ok || w.written() {
		return runtimeStage{declined: "the program writes directories that a numeric user on busybox could not"}, nil, false
	}
	return runtimeStage{kind: "busybox", base: "busybox:latest", copies: copies, argv: b.argv, userFamily: "none",
		why: fmt.Sprintf("the command is a BusyBox applet, so %s is served from the busybox image alone, without the distribution and the tools that generated it", vocab.JoinAnd(copies)),
	}, nil, true
}

// systemDir reports whether p belongs to the distribution rather than
// to the application.
func systemDir(p string) bool {
	for _, d := range []string{"/bin", "/sbin", "/usr", "/etc", "/lib", "/proc", "/sys", "/dev", "/tmp", "/run", "/var/run"} {
		if p == d || strings.HasPrefix(p, d+"/") {
			return !strings.HasPrefix(p, "/usr/local/") && !strings.HasPrefix(p, "/usr/share/nginx/")
		}
	}
	return false
}
