package deb

import (
	"bufio"
	"bytes"
	"strings"
)

// Source is one apt source: a mirror URI, a suite and its components.
type Source struct {
	URI        string   `json:"uri"`
	Suite      string   `json:"suite"`
	Components []string `json:"components"`
}

// ParseSourcesList reads the one-line format of /etc/apt/sources.list
// and *.list files; deb-src lines and comments are skipped, as are
// flat-repository lines (a suite ending in "/"), which the estimate does
// not fetch.
func ParseSourcesList(b []byte) []Source {
	var out []Source
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 3 || f[0] != "deb" {
			continue
		}
		f = f[1:]
		if strings.HasPrefix(f[0], "[") {
			// Options: "[arch=amd64 signed-by=...]", possibly over words.
			for len(f) > 0 && !strings.HasSuffix(f[0], "]") {
				f = f[1:]
			}
			if len(f) == 0 {
				continue
			}
			f = f[1:]
		}
		if len(f) < 2 || strings.HasSuffix(f[1], "/") {
			continue
		}
		out = append(out, Source{URI: strings.TrimRight(f[0], "/"), Suite: f[1], Components: f[2:]})
	}
	return out
}

// ParseDeb822Sources reads the deb822 format of *.sources files
// (Types, URIs, Suites, Components; Enabled: no turns a paragraph off).
func ParseDeb822Sources(b []byte) []Source {
	var out []Source
	_ = readStanzas(bytes.NewReader(b), nil, func(s stanza, _ int) error {
		if !contains(strings.Fields(s["types"]), "deb") || strings.EqualFold(strings.TrimSpace(s["enabled"]), "no") {
			return nil
		}
		comps := strings.Fields(s["components"])
		for _, uri := range strings.Fields(s["uris"]) {
			for _, suite := range strings.Fields(s["suites"]) {
				if strings.HasSuffix(suite, "/") {
					continue
				}
				out = append(out, Source{URI: strings.TrimRight(uri, "/"), Suite: suite, Components: comps})
			}
		}
		return nil
	})
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
