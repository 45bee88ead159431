package deb

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// maxLine bounds one line of a control file; Debian's longest fields
// (Description, Depends of meta-packages) are far shorter.
const maxLine = 1 << 20

// stanza is one paragraph of a deb822 control file: the fields asked
// for, by lower-case name, continuation lines joined with "\n".
type stanza map[string]string

// readStanzas calls fn for each paragraph of r with the fields keep
// accepts (nil keeps every field). Fields are named in lower case. The
// map is reused between calls. Line is where the paragraph starts.
func readStanzas(r io.Reader, keep func(string) bool, fn func(s stanza, line int) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	s := stanza{}
	cur := ""
	start, n := 0, 0
	flush := func() error {
		if len(s) == 0 {
			return nil
		}
		err := fn(s, start)
		clear(s)
		cur = ""
		return err
	}
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			if err := flush(); err != nil {
				return err
			}
			start = 0
			continue
		}
		if start == 0 {
			start = n
		}
		switch line[0] {
		case '#':
			continue
		case ' ', '\t':
			if cur != "" {
				s[cur] += "\n" + strings.TrimSpace(string(line))
			}
			continue
		}
		i := bytes.IndexByte(line, ':')
		if i <= 0 {
			return fmt.Errorf("line %d: not a field (no colon): %.60q", n, line)
		}
		name := strings.ToLower(string(bytes.TrimSpace(line[:i])))
		if keep != nil && !keep(name) {
			cur = ""
			continue
		}
		cur = name
		s[name] = strings.TrimSpace(string(line[i+1:]))
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", n+1, err)
	}
	return flush()
}

// fieldSet makes a keep function for readStanzas.
func fieldSet(names ...string) func(string) bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return func(s string) bool { return m[s] }
}

// stripSignature returns the signed text of a clear-signed InRelease
// file (the PGP armour and signature removed), or b as it is.
func stripSignature(b []byte) []byte {
	const begin = "-----BEGIN PGP SIGNED MESSAGE-----"
	if !bytes.HasPrefix(bytes.TrimSpace(b), []byte(begin)) {
		return b
	}
	// The armour headers end at the first blank line.
	i := bytes.Index(b, []byte("\n\n"))
	if i < 0 {
		return nil
	}
	body := b[i+2:]
	if j := bytes.Index(body, []byte("\n-----BEGIN PGP SIGNATURE-----")); j >= 0 {
		body = body[:j+1]
	}
	// Dash-escaped lines ("- -----") lose their escape.
	return bytes.ReplaceAll(body, []byte("\n- "), []byte("\n"))
}
