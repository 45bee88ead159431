package image

import (
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// dockerfileKeywords are the instructions a history entry can name.
var dockerfileKeywords = map[string]bool{
	"ADD": true, "ARG": true, "CMD": true, "COPY": true, "ENTRYPOINT": true, "ENV": true,
	"EXPOSE": true, "HEALTHCHECK": true, "LABEL": true, "MAINTAINER": true, "ONBUILD": true,
	"RUN": true, "SHELL": true, "STOPSIGNAL": true, "USER": true, "VOLUME": true, "WORKDIR": true,
}

// historyKeyword names the Dockerfile instruction a history entry records,
// for both the classic builder ("/bin/sh -c #(nop)  CMD [...]", "/bin/sh
// -c apt-get ...", "|2 A=b /bin/sh -c ...") and BuildKit ("RUN /bin/sh -c
// ... # buildkit", "COPY . /app # buildkit"). It returns "" when unknown.
func historyKeyword(createdBy string) string {
	s := strings.TrimSpace(createdBy)
	if s == "" {
		return ""
	}
	if i := strings.Index(s, "#(nop)"); i >= 0 {
		w := firstWord(strings.TrimSpace(s[i+len("#(nop)"):]))
		if dockerfileKeywords[w] {
			return w
		}
		return ""
	}
	if strings.HasPrefix(s, "|") {
		return "RUN" // classic builder RUN with build arguments
	}
	if w := firstWord(s); dockerfileKeywords[w] {
		return w
	}
	if strings.HasPrefix(s, "/bin/sh -c ") || strings.HasPrefix(s, "/bin/bash -c ") || strings.Contains(s, " -c ") {
		return "RUN"
	}
	return ""
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		s = s[:i]
	}
	return strings.ToUpper(s)
}

// historyLayers maps each history entry to the 0-based layer it made (-1
// for empty entries). ok is false when the history's non-empty entries do
// not match the layer count, in which case no entry is mapped.
func historyLayers(h []v1.History, layers int) (out []int, ok bool) {
	out = make([]int, len(h))
	n := 0
	for i, e := range h {
		if e.EmptyLayer {
			out[i] = -1
			continue
		}
		out[i] = n
		n++
	}
	if n != layers {
		for i := range out {
			out[i] = -1
		}
		return out, false
	}
	return out, true
}

// detectBase guesses how many layers belong to the base image from the
// history alone. A base image's history ends with its CMD or ENTRYPOINT
// (debian: CMD ["bash"]; alpine: CMD ["/bin/sh"]), and a root filesystem
// made by docker import is a step with no command but a comment
// ("Imported from -", or the --message given); the last such entry
// followed by a step that made a layer closes the base. It returns the
// number of base layers and history entries and a note, or zeros when
// nothing fits.
func detectBase(h []v1.History, layerOf []int) (layers, hist int, note string) {
	last := -1
	why := ""
	for i, e := range h {
		kw := historyKeyword(e.CreatedBy)
		switch {
		case kw == "CMD" || kw == "ENTRYPOINT":
			if laterLayer(h, i) {
				last, why = i, "the base image's history ends with "+kw
			}
		case strings.HasPrefix(e.Comment, "Imported from") || (strings.TrimSpace(e.CreatedBy) == "" && e.Comment != "" && !e.EmptyLayer):
			if laterLayer(h, i) {
				last, why = i, "the base image's root filesystem was imported (docker import)"
			}
		}
	}
	if last < 0 {
		return 0, 0, ""
	}
	n := 0
	for i := 0; i <= last; i++ {
		if layerOf[i] >= 0 {
			n++
		}
	}
	return n, last + 1, why
}

// laterLayer reports whether a step after i made a layer.
func laterLayer(h []v1.History, i int) bool {
	for _, e := range h[i+1:] {
		if !e.EmptyLayer {
			return true
		}
	}
	return false
}

// ShortCommand renders a history entry the way a Dockerfile says it
// ("RUN apt-get update", "COPY . /app"), cut to at most n runes (n <= 0:
// no limit).
func ShortCommand(createdBy string, n int) string {
	s := strings.TrimSpace(createdBy)
	s = strings.TrimSuffix(s, "# buildkit")
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "#(nop)"); i >= 0 {
		s = strings.TrimSpace(s[i+len("#(nop)"):])
	} else if strings.HasPrefix(s, "|") {
		// "|2 A=1 B=2 /bin/sh -c cmd": drop the build arguments.
		if i := strings.Index(s, "/bin/sh -c "); i >= 0 {
			s = "RUN " + s[i+len("/bin/sh -c "):]
		}
	} else if strings.HasPrefix(s, "/bin/sh -c ") {
		s = "RUN " + strings.TrimPrefix(s, "/bin/sh -c ")
	} else if strings.HasPrefix(s, "RUN /bin/sh -c ") {
		s = "RUN " + strings.TrimPrefix(s, "RUN /bin/sh -c ")
	}
	s = strings.Join(strings.Fields(s), " ")
	if n > 0 {
		r := []rune(s)
		if len(r) > n {
			s = string(r[:n-1]) + "…"
		}
	}
	return s
}
