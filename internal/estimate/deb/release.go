package deb

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Release is a suite's Release (or InRelease) file: what it is and the
// index files it lists, with their sizes and SHA-256 sums.
type Release struct {
	Origin        string              `json:"origin,omitempty"`
	Suite         string              `json:"suite,omitempty"`
	Codename      string              `json:"codename,omitempty"`
	Date          time.Time           `json:"date"`
	Architectures []string            `json:"architectures,omitempty"`
	Components    []string            `json:"components,omitempty"`
	Files         map[string]FileInfo `json:"files"`
	// NoArchAll is true when the archive merges the Architecture: all
	// packages into each architecture's Packages file (apt then does not
	// fetch binary-all).
	NoArchAll bool `json:"no_arch_all,omitempty"`
}

// FileInfo is one index file a Release lists.
type FileInfo struct {
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"`
}

// ParseRelease reads a Release file, or an InRelease file (its clear
// signature is stripped, not checked: the estimate uses sizes only).
func ParseRelease(b []byte) (*Release, error) {
	body := stripSignature(b)
	if body == nil {
		return nil, fmt.Errorf("clear-signed Release without a body")
	}
	rel := &Release{Files: map[string]FileInfo{}}
	seen := false
	err := readStanzas(bytes.NewReader(body), nil, func(s stanza, line int) error {
		if seen {
			return nil // a Release has one paragraph; ignore trailing ones
		}
		seen = true
		rel.Origin = s["origin"]
		rel.Suite = s["suite"]
		rel.Codename = s["codename"]
		rel.Architectures = strings.Fields(s["architectures"])
		rel.Components = strings.Fields(s["components"])
		rel.NoArchAll = strings.Contains(s["no-support-for-architecture-all"], "Packages")
		if d := s["date"]; d != "" {
			if t, err := parseDate(d); err == nil {
				rel.Date = t
			}
		}
		// SHA256 first; MD5Sum only fills what SHA256 lacks (old archives).
		for _, field := range []string{"sha256", "md5sum", "sha1"} {
			for _, l := range strings.Split(s[field], "\n") {
				f := strings.Fields(l)
				if len(f) != 3 {
					continue
				}
				size, err := strconv.ParseInt(f[1], 10, 64)
				if err != nil || size < 0 {
					return fmt.Errorf("%s: size %q of %s is not a number", field, f[1], f[2])
				}
				if _, ok := rel.Files[f[2]]; ok {
					continue
				}
				fi := FileInfo{Size: size}
				if field == "sha256" {
					fi.SHA256 = f[0]
				}
				rel.Files[f[2]] = fi
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !seen {
		return nil, fmt.Errorf("empty Release file")
	}
	if len(rel.Files) == 0 {
		return nil, fmt.Errorf("the Release file lists no index files")
	}
	return rel, nil
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC1123, time.RFC1123Z, "Mon, 2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:04:05 -0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q", s)
}
