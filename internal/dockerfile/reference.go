package dockerfile

import (
	"errors"
	"fmt"
	"strings"
)

// CheckImageName reports whether a FROM's image name is one BuildKit
// accepts, with the error BuildKit gives when it is not: BuildKit reads it
// with distribution/reference's ParseNormalizedNamed, whose grammar this
// follows (a name of slash-separated lowercase components with an
// optional registry host and port first, a tag after ":", a digest after
// "@"). It is written out here rather than imported because that package
// compiles its regular expressions when a program starts, a millisecond
// of every lint; FuzzCheckImageName holds the two to the same answers.
func CheckImageName(s string) error {
	if len(s) == 64 && isLowerHex(s) {
		return fmt.Errorf("invalid repository name (%s), cannot specify 64-byte hexadecimal strings", s)
	}
	domain, remainder := dockerDomain(s)
	remote, _, _ := strings.Cut(remainder, ":")
	if strings.ToLower(remote) != remote {
		return fmt.Errorf("invalid reference format: repository name (%s) must be lowercase", remote)
	}
	full := domain + "/" + remainder
	path, digest, ok := referenceParts(full)
	if !ok {
		if _, _, ok := referenceParts(strings.ToLower(full)); ok {
			return errors.New("repository name must be lowercase")
		}
		return errors.New("invalid reference format")
	}
	if len(path) > 255 {
		return errors.New("repository name must not be more than 255 characters")
	}
	if digest != "" {
		return CheckDigest(digest)
	}
	return nil
}

// dockerDomain splits a name into its registry and the rest, Docker
// Hub's (docker.io, and library/ for a one-component name) when it names
// none: the first component is a registry when it is localhost, has a
// "." or ":", or has an upper-case letter.
func dockerDomain(name string) (domain, rest string) {
	first, after, ok := strings.Cut(name, "/")
	switch {
	case !ok:
		return "docker.io", "library/" + name
	case first == "localhost" || strings.ContainsAny(first, ".:") || strings.ToLower(first) != first:
		domain, rest = first, after
		if first == "index.docker.io" {
			domain = "docker.io"
		}
	default:
		domain, rest = "docker.io", name
	}
	if domain == "docker.io" && !strings.Contains(rest, "/") {
		rest = "library/" + rest
	}
	return domain, rest
}

// referenceParts matches s against the whole reference grammar, name
// [":" tag] ["@" digest], and returns the name's repository path (without
// its registry) and the digest.
func referenceParts(s string) (path, digest string, ok bool) {
	nameTag, digest, hasDigest := strings.Cut(s, "@")
	if hasDigest && !isDigestSyntax(digest) {
		return "", "", false
	}
	name := nameTag
	// A tag holds no "/": a ":" after the last "/" starts one.
	if i := strings.LastIndexByte(nameTag, ':'); i > strings.LastIndexByte(nameTag, '/') {
		name = nameTag[:i]
		if !isTag(nameTag[i+1:]) {
			return "", "", false
		}
	}
	// The registry, when there is one, is everything before the first
	// "/"; it is taken when it can be one.
	if host, rest, found := strings.Cut(name, "/"); found && isDomainAndPort(host) && isRemoteName(rest) {
		return rest, digest, true
	}
	if isRemoteName(name) {
		return name, digest, true
	}
	return "", "", false
}

// isRemoteName: path-component ("/" path-component)*.
func isRemoteName(s string) bool {
	for c := range strings.SplitSeq(s, "/") {
		if !isPathComponent(c) {
			return false
		}
	}
	return true
}

// isPathComponent: runs of [a-z0-9] joined by ".", "_", "__" or any
// number of "-".
func isPathComponent(s string) bool {
	i := 0
	for {
		start := i
		for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= '0' && s[i] <= '9') {
			i++
		}
		if i == start {
			return false // a component starts and ends alphanumeric
		}
		if i == len(s) {
			return true
		}
		switch {
		case s[i] == '.':
			i++
		case s[i] == '_':
			i++
			if i < len(s) && s[i] == '_' {
				i++
			}
		case s[i] == '-':
			for i < len(s) && s[i] == '-' {
				i++
			}
		default:
			return false
		}
	}
}

// isDomainAndPort: a host (dot-separated labels of letters, digits and
// inner "-", or an IPv6 address in brackets) and an optional ":port".
func isDomainAndPort(s string) bool {
	var host string
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 2 || strings.Trim(s[1:end], "0123456789abcdefABCDEF:") != "" {
			return false
		}
		host = s[:end+1]
	} else {
		host, _, _ = strings.Cut(s, ":")
		for label := range strings.SplitSeq(host, ".") {
			if !isDomainLabel(label) {
				return false
			}
		}
	}
	port, hasPort := strings.CutPrefix(s[len(host):], ":")
	if !hasPort {
		return len(host) == len(s)
	}
	return port != "" && strings.Trim(port, "0123456789") == ""
}

// isDomainLabel: [a-zA-Z0-9], or [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9].
func isDomainLabel(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

// isTag: [\w][\w.-]{0,127}.
func isTag(s string) bool {
	if s == "" || len(s) > 128 || !isWord(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isWord(c) && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

// isDigestSyntax: an algorithm ([A-Za-z][A-Za-z0-9]* components joined by
// "-", "_", "+" or ".") ":" and at least 32 hexadecimal digits.
func isDigestSyntax(s string) bool {
	alg, hex, ok := strings.Cut(s, ":")
	if !ok || len(hex) < 32 || !isHex(hex) {
		return false
	}
	startOfComponent := true
	for i := 0; i < len(alg); i++ {
		c := alg[i]
		switch {
		case startOfComponent:
			if !isLetter(c) {
				return false
			}
			startOfComponent = false
		case c == '-' || c == '_' || c == '+' || c == '.':
			startOfComponent = true
		case !isAlnum(c):
			return false
		}
	}
	return alg != "" && !startOfComponent
}

// CheckDigest reports whether s is a digest BuildKit accepts (ADD
// --checksum, FROM name@digest), with go-digest's errors: sha256, sha384
// or sha512 and as many lowercase hexadecimal digits as the hash has.
func CheckDigest(s string) error {
	alg, hex, _ := strings.Cut(s, ":")
	if alg == "" || hex == "" {
		return errors.New("invalid checksum digest format")
	}
	size := 0 // hexadecimal digits
	switch alg {
	case "sha256":
		size = 64
	case "sha384":
		size = 96
	case "sha512":
		size = 128
	}
	switch {
	case size == 0 && !isDigestToken(s):
		return errors.New("invalid checksum digest format")
	case size == 0:
		return errors.New("unsupported digest algorithm")
	case len(hex) != size:
		return errors.New("invalid checksum digest length")
	case !isLowerHex(hex):
		return errors.New("invalid checksum digest format")
	}
	return nil
}

// isDigestToken is go-digest's lenient digest syntax: [a-z0-9]+ joined by
// ".", "+", "_" or "-", ":", then [a-zA-Z0-9=_-]+.
func isDigestToken(s string) bool {
	alg, enc, _ := strings.Cut(s, ":")
	if enc == "" || strings.Trim(enc, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=_-") != "" {
		return false
	}
	prevSep := true
	for i := 0; i < len(alg); i++ {
		c := alg[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			prevSep = false
		case (c == '.' || c == '+' || c == '_' || c == '-') && !prevSep:
			prevSep = true
		default:
			return false
		}
	}
	return !prevSep
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool  { return isLetter(c) || c >= '0' && c <= '9' }
func isWord(c byte) bool   { return isAlnum(c) || c == '_' }

func isHex(s string) bool { return strings.Trim(s, "0123456789abcdefABCDEF") == "" }

func isLowerHex(s string) bool { return strings.Trim(s, "0123456789abcdef") == "" }
