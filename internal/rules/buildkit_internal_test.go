package rules

import (
	"fmt"
	"strings"
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

// TestBKBuildErrors checks every error DL1000 knows, with the line and
// message, in the order BuildKit meets them.
func TestBKBuildErrors(t *testing.T) {
	cases := []struct {
		src  string
		want []string // "line: message prefix"
	}{
		{"FROM alpine:3.21\nCOPY --from build /a /b\n", []string{"2: missing a value on flag: --from"}},
		{"FROM alpine:3.21\nCOPY --chown app /a /b\n", []string{"2: missing a value on flag: --chown"}},
		{"FROM alpine:3.21\nRUN --mount type=cache,target=/c true\n", []string{"2: missing a value on flag: --mount"}},
		{"FROM alpine:3.21\nCOPY --frm=x /a /b\n", []string{"2: unknown flag: --frm"}},
		{"FROM alpine:3.21\nBOGUS x\nCOPPY a /a\n", []string{"2: unknown instruction: BOGUS", "3: unknown instruction: COPPY (did you mean COPY?)"}},
		{"FROM alpine:3.21\n{{ if .X }}\n", []string{"2: unknown instruction: {{ (template syntax"}},
		{"FROM alpine:3.21 build\n", []string{"1: FROM requires either one or three arguments"}},
		{"FROM alpine:3.21 AS 2x\n", []string{"1: invalid name for build stage"}},
		{"FROM alpine:3.21\nHEALTHCHECK PING x\n", []string{"2: Unknown type"}},
		{"FROM alpine:3.21\nCOPY one\n", []string{"2: COPY requires at least two arguments"}},
		{"FROM REPLACE-ME\n", []string{"1: failed to parse stage name \"REPLACE-ME\""}},
		{"FROM alpine:3.21 AS Build\nFROM Build\n", []string{"2: failed to parse stage name \"Build\""}},
		{"ARG X=y\nFROM alpine:3.21\nCOPY --from=$X /a /b\n", []string{"3: variable expansion is not supported for --from"}},
		{"FROM alpine:3.21\nCOPY --from=3 /a /b\n", []string{"2: invalid stage index 3"}},
		{"FROM alpine:3.21 AS a\nCOPY --from=b /a /b\nFROM alpine:3.21 AS b\n", []string{"2: cannot copy from stage \"b\", it needs to be defined before current stage \"a\""}},
		{"FROM alpine:3.21 AS a\nRUN --mount=from=B,target=/b true\nFROM alpine:3.21 AS b\n", []string{"2: cannot mount from stage \"B\" to \"/b\""}},
		{"FROM alpine:3.21 AS t\nONBUILD BOGUS x\nFROM t\n", []string{"3: unknown instruction: BOGUS"}},
		{"FROM alpine:3.21 AS t\nONBUILD BOGUS x\nFROM t AS unused\nFROM alpine:3.21\n", nil},
		{"FROM alpine:3.21\nSTOPSIGNAL SIGNOPE\nSTOPSIGNAL SIGTERM\nSTOPSIGNAL 9\n", []string{"2: invalid signal: SIGNOPE"}},
		{"FROM alpine:3.21\nARG S=NOPE\nSTOPSIGNAL $S\n", []string{"3: invalid signal: NOPE"}},
		{"FROM nginx:1.27\nSTOPSIGNAL $S\n", nil}, // S may come from the image
		{"FROM alpine:3.21\nVOLUME \"\"\nVOLUME /data\n", []string{"2: VOLUME specified can not be an empty string"}},
		{"FROM alpine:3.21\nADD --checksum=sha256:abc https://example.org/x /x\n", []string{"2: invalid checksum digest"}},
		{"FROM alpine:3.21\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d x.tgz /x\n", []string{"2: checksum requires HTTP(S) or Git sources"}},
		{"FROM alpine:3.21\nEXPOSE $NOPE/tcp\n", []string{"2: invalid port \"/tcp\" in EXPOSE"}},
		{"FROM alpine:3.21\nEXPOSE http\n", nil}, // DL3011's
		{"# check=bogus=1\nFROM alpine:3.21\n", []string{"1: failed to parse check options"}},
		{"FROM alpine:3.21\nENV A=${NEEDED?unset}\nSTOPSIGNAL NOPE\n", []string{"2: failed to process \"${NEEDED?unset}\": NEEDED: unset", "3: invalid signal"}},
		{"FROM alpine:3.21\nARG NEEDED\nENV A=${NEEDED?unset}\n", nil}, // --build-arg NEEDED=x
		{"FROM nginx:1.27\nENV A=${NEEDED?unset}\n", nil},              // the image may set it
		{"FROM alpine:3.21\nADD --checksum=$NO_SUM https://example.org/x /x\n", nil},
		{"FROM alpine:3.21\nONBUILD FROM x\n", nil}, // DL3043's
		{"FROM alpine:3.21\nCOPY --from=0 /a /b\nRUN --mount=from=alpine:3.21,target=/x true\n", nil},
	}
	for _, c := range cases {
		f, err := dockerfile.Parse("Dockerfile", []byte(c.src))
		if err != nil {
			t.Fatalf("%q: %v", c.src, err)
		}
		got := bkBuildErrors(f, bkWalk(f))
		if len(got) != len(c.want) {
			t.Errorf("%q: %d errors %v, want %v", c.src, len(got), got, c.want)
			continue
		}
		for i, w := range c.want {
			line, msg, _ := strings.Cut(w, ": ")
			if fmt.Sprint(got[i].line) != line || !strings.HasPrefix(got[i].msg, msg) {
				t.Errorf("%q: error %d is %d: %s, want %s", c.src, i, got[i].line, got[i].msg, w)
			}
		}
	}
}
