package reporttest

import (
	"bytes"
	"html"
	"strings"
	"testing"
)

// Hostile is what a user-controlled string may hold: the end of a script
// element, markup, both quotes, an ampersand, a plus (which html/template
// escaped), the start of a comment and the JavaScript line separators.
const Hostile = `</script><script>alert(1)</script>"'&+<!--` + "\u2028\u2029"

// HostileName is Hostile without the slash, as a file name can hold it.
const HostileName = `<script>alert(1)<!--"'&+` + "\u2028\u2029"

// Strings hands out the strings a sample is filled with: each field's own
// name, followed by Hostile for a hostile sample; it records the fields
// the page must show whole.
type Strings struct {
	hostile bool
	shown   []string
}

// S is field's string, shown whole on the page.
func (s *Strings) S(field string) string {
	s.shown = append(s.shown, field)
	return s.Part(field)
}

// Part is field's string where the page shows only part of it (a short
// digest) or folds its spaces.
func (s *Strings) Part(field string) string {
	if s.hostile {
		return field + Hostile
	}
	return field
}

// Name is a file name's string (no slash).
func (s *Strings) Name(field string) string {
	if s.hostile {
		return field + HostileName
	}
	return field
}

// RenderHostile renders a page twice, from a sample filled with plain
// strings and from one filled with hostile strings, and checks the
// hostile page: each string shown whole comes out escaped, whole; none
// comes out as markup; and the page has scripts script elements. It
// returns both pages, for SameMarkup.
func RenderHostile(t *testing.T, scripts int, render func(*Strings, *bytes.Buffer) error) (plain, hostile string) {
	t.Helper()
	good, bad := &Strings{}, &Strings{hostile: true}
	var pb, hb bytes.Buffer
	if err := render(good, &pb); err != nil {
		t.Fatal(err)
	}
	if err := render(bad, &hb); err != nil {
		t.Fatal(err)
	}
	page := hb.String()
	for _, f := range bad.shown {
		// A field's string may be cut after the comment's start (where a
		// page shortens it); up to there it is whole.
		want := html.EscapeString(f + `</script><script>alert(1)</script>"'&`)
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s escaped (%q)", f, want)
		}
	}
	if len(bad.shown) < 10 {
		t.Errorf("only %d fields filled", len(bad.shown))
	}
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "alert(1)</script>") {
		t.Error("a hostile string came out as markup")
	}
	if n := strings.Count(page, "<script"); n != scripts {
		t.Errorf("%d <script elements, want %d", n, scripts)
	}
	if n := strings.Count(page, "</script>"); n != scripts {
		t.Errorf("%d </script> tags, want %d", n, scripts)
	}
	return pb.String(), page
}

// SameMarkup checks that escaped text added no markup to a page: as many
// <, > and quotes as with plain strings, and no comment.
func SameMarkup(t *testing.T, plain, hostile string) {
	t.Helper()
	for _, c := range []string{"<", ">", `"`, "'", "<!--"} {
		if p, h := strings.Count(plain, c), strings.Count(hostile, c); p != h {
			t.Errorf("%d %s with plain strings, %d with hostile ones", p, c, h)
		}
	}
}
