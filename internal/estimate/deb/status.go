package deb

import (
	"fmt"
	"io"
	"strings"
)

// ParseStatus reads dpkg's status file (/var/lib/dpkg/status) and returns
// the packages installed: those whose Status is "install ok installed"
// or held ("hold ok installed"). Packages only configured half-way, or
// removed with their configuration kept, are not.
func ParseStatus(r io.Reader) ([]*Package, error) {
	var out []*Package
	err := readStanzas(r, packageFields, func(s stanza, line int) error {
		st := strings.Fields(s["status"])
		if len(st) != 3 || st[2] != "installed" {
			return nil
		}
		p, err := packageFrom(s)
		if err != nil {
			return fmt.Errorf("paragraph at line %d: %w", line, err)
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading dpkg status: %w", err)
	}
	return out, nil
}

// ParseStatusAny reads status paragraphs without a Status field as
// installed (distroless images keep one such file per package in
// /var/lib/dpkg/status.d).
func ParseStatusAny(r io.Reader) ([]*Package, error) {
	var out []*Package
	err := readStanzas(r, packageFields, func(s stanza, line int) error {
		if st := strings.Fields(s["status"]); len(st) == 3 && st[2] != "installed" {
			return nil
		}
		p, err := packageFrom(s)
		if err != nil {
			return fmt.Errorf("paragraph at line %d: %w", line, err)
		}
		out = append(out, p)
		return nil
	})
	return out, err
}
