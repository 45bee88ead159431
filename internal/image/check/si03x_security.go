package check

import (
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/vocab"
)

// securityRules report how the image runs: the default user, files that
// raise privileges, files anyone can write.
func securityRules() []Rule {
	return []Rule{
		{
			ID: "SI030", Name: "root-user", Severity: vocab.Warning,
			Category: vocab.Security, Checklist: vocab.SecurityNonRoot,
			Doc: Doc{
				Summary: "The image runs as root by default",
				Why: "A process running as root in a container is root on the host's kernel: any escape or " +
					"mounted path is then fully exposed. Add a user and switch to it with USER.",
			},
			Check: checkRootUser,
		},
		{
			ID: "SI031", Name: "setuid-setgid", Severity: vocab.Info,
			Category: vocab.Security, Checklist: vocab.SecurityMinimalRuntime,
			Doc: Doc{
				Summary: "A file has the setuid or setgid bit",
				Why: "setuid and setgid programs run with their owner's privileges and are the usual way up to " +
					"root. Remove the bit (chmod u-s,g-s) from programs the container does not need.",
			},
			Check: checkSetuid,
		},
		{
			ID: "SI032", Name: "world-writable", Severity: vocab.Warning,
			Category: vocab.Security, Checklist: vocab.SecurityMinimalRuntime,
			Doc: Doc{
				Summary: "A file or directory is writable by every user",
				Why: "Anyone in the container can change a world-writable file, including programs it runs. " +
					"Give write access to the owner only; shared scratch directories need the sticky bit.",
			},
			Check: checkWorldWritable,
		},
	}
}

// rootUser reports whether a USER value means root.
func rootUser(u string) bool {
	u = strings.TrimSpace(u)
	if u == "" {
		return true
	}
	name, _, _ := strings.Cut(u, ":")
	return name == "root" || name == "0"
}

func checkRootUser(r *image.Result) []Hit {
	if r.Config == nil || !rootUser(r.Config.Config.User) {
		return nil
	}
	msg := "the image runs as root: no USER is set"
	if u := r.Config.Config.User; u != "" {
		msg = fmt.Sprintf("the image runs as root (USER %s)", u)
	}
	return []Hit{{Message: msg + "; create an unprivileged user and add USER before CMD", Anchor: "USER"}}
}

func checkSetuid(r *image.Result) []Hit {
	var hits []Hit
	for _, f := range r.Files {
		if f.Kind != image.KindFile || f.Mode&0o6000 == 0 {
			continue
		}
		bits := "setuid"
		switch {
		case f.Mode&0o6000 == 0o6000:
			bits = "setuid and setgid"
		case f.Mode&0o2000 != 0:
			bits = "setgid"
		}
		hits = append(hits, Hit{
			Message: fmt.Sprintf("/%s is %s (mode %04o, owner %d) from %s", f.Path, bits, f.Mode, f.UID, layerName(r, f.Layer)),
			Path:    f.Path, Layer: f.Layer,
		})
	}
	return hits
}

func checkWorldWritable(r *image.Result) []Hit {
	var hits []Hit
	for _, f := range r.Files {
		if f.Mode&0o002 == 0 {
			continue
		}
		switch f.Kind {
		case image.KindFile:
		case image.KindDir:
			if f.Mode&0o1000 != 0 {
				continue // sticky: a shared scratch directory
			}
		default:
			continue // symlinks are always 0777; devices are special
		}
		hits = append(hits, Hit{
			Message: fmt.Sprintf("/%s (%s, mode %04o) is writable by every user, from %s", f.Path, f.Kind, f.Mode, layerName(r, f.Layer)),
			Path:    f.Path, Layer: f.Layer,
		})
	}
	return hits
}
