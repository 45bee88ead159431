package rules

import (
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
)

func TestBKParsePlatform(t *testing.T) {
	cases := map[string]string{
		"linux/amd64":         "linux/amd64",
		"linux/x86_64":        "linux/amd64",
		"Linux/AARCH64":       "linux/arm64",
		"linux/arm64/v8":      "linux/arm64/v8",
		"linux/arm":           "linux/arm/v7",
		"linux/armhf":         "linux/arm/v7",
		"arm64":               "linux/arm64",
		"linux":               "linux",
		"windows(10.0)/amd64": "windows/amd64",
		"linux/*":             "",
		"linux/amd64/v2/x":    "",
		"foo":                 "",
		"linux/a b":           "",
	}
	for in, want := range cases {
		p, ok := bkParsePlatform(in)
		got := ""
		if ok {
			got = p.String()
		}
		if got != want {
			t.Errorf("bkParsePlatform(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBKParseExposed(t *testing.T) {
	cases := []struct {
		in              string
		ok, valid       bool
		ip, host, proto string
	}{
		{in: "80", ok: true, valid: true},
		{in: "80/TCP", ok: true, valid: true, proto: "TCP"},
		{in: "8080:80", ok: true, valid: true, host: "8080"},
		{in: "127.0.0.1:8080:80/udp", ok: true, valid: true, ip: "127.0.0.1", host: "8080", proto: "udp"},
		{in: "[::1]:8080:80", ok: true, valid: true, ip: "[::1]", host: "8080"},
		{in: "999.1.1.1:80:80", ok: true, valid: false, ip: "999.1.1.1", host: "80"},
		{in: "80/foo", ok: false},
		{in: "/tcp", ok: false},
		{in: "70000", ok: true, valid: false},
		{in: "9000-9010:80-82", ok: true, valid: false, host: "9000-9010"},
		{in: "9000-9010:80", ok: true, valid: true, host: "9000-9010"},
	}
	for _, c := range cases {
		e, valid := bkParseExposed(c.in)
		if (e != nil) != c.ok || valid != c.valid {
			t.Errorf("%q: parsed=%v valid=%v, want %v %v", c.in, e != nil, valid, c.ok, c.valid)
			continue
		}
		if e != nil && (e.ip != c.ip || e.host != c.host || e.proto != c.proto) {
			t.Errorf("%q: got ip=%q host=%q proto=%q", c.in, e.ip, e.host, e.proto)
		}
	}
}

func TestBKSourceWords(t *testing.T) {
	src := "FROM alpine:3.20\n  COPY --from=a \\\n# comment\n\n    /x /y\nRUN <<EOF\nnot a word\nEOF\n"
	f, err := dockerfile.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range bkSourceWords(f, f.Instructions[1]) {
		if src[w.Pos:w.End] != w.Text {
			t.Errorf("word %q at %d:%d is %q in the source", w.Text, w.Pos, w.End, src[w.Pos:w.End])
		}
		got = append(got, w.Text)
	}
	if want := "COPY --from=a /x /y"; joinWords(got) != want {
		t.Errorf("words %q, want %q", joinWords(got), want)
	}
	got = nil
	for _, w := range bkSourceWords(f, f.Instructions[2]) {
		got = append(got, w.Text)
	}
	if want := "RUN <<EOF"; joinWords(got) != want {
		t.Errorf("words %q, want %q", joinWords(got), want)
	}
}

func joinWords(ws []string) string {
	out := ""
	for i, w := range ws {
		if i > 0 {
			out += " "
		}
		out += w
	}
	return out
}
