package cli

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// versionText is what strata --version prints after "strata version ":
// the module version (the one set at link time when there is one) and
// the commit it was built from, as the Go toolchain recorded them in the
// binary's build information.
func versionText(info *debug.BuildInfo, ok bool) string {
	v := Version
	if !ok || info == nil {
		return v
	}
	if v == "dev" && info.Main.Version != "" {
		v = info.Main.Version // "(devel)" when built from a checkout
	}
	var commit, when string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	var extra []string
	switch {
	case commit != "" && modified:
		extra = append(extra, "commit "+commit+" with local changes")
	case commit != "":
		extra = append(extra, "commit "+commit)
	default:
		extra = append(extra, "commit unknown (built without version control information)")
	}
	if when != "" {
		extra = append(extra, when)
	}
	extra = append(extra, info.GoVersion)
	return fmt.Sprintf("%s (%s)", v, strings.Join(extra, ", "))
}
