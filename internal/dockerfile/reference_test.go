package dockerfile

import (
	// go-digest accepts sha384 and sha512 only in programs that link
	// them, as BuildKit's does.
	_ "crypto/sha256"
	_ "crypto/sha512"
	"strings"
	"testing"

	"github.com/distribution/reference"
	"github.com/opencontainers/go-digest"
)

// referenceSeeds are image names of every shape: Docker Hub's short
// forms, registries with ports and IPv6 addresses, tags, digests, and the
// ways each goes wrong.
var referenceSeeds = []string{
	"debian", "debian:bookworm", "library/debian:12-slim", "docker.io/library/debian", "index.docker.io/debian",
	"ghcr.io/acme/app:v1.2.3", "localhost:5000/app", "localhost/app:latest", "127.0.0.1:5000/a/b/c",
	"[::1]:5000/app", "[fe80::1]/app:tag", "[]/app", "[::1/app", "example.com:/app", "example.com:50a/app",
	"Example.com/app", "UPPER", "Upper/app", "app:UPPER_tag", "app:tag/with/slash", "app@sha256:" + strings.Repeat("a", 64),
	"app:1@sha256:" + strings.Repeat("b", 64), "app@sha256:" + strings.Repeat("A", 64), "app@sha256:abc",
	"app@sha512:" + strings.Repeat("c", 128), "app@md5:" + strings.Repeat("d", 32), "app@SHA256:" + strings.Repeat("e", 64),
	"app@sha256:" + strings.Repeat("f", 63), "app@", "@sha256:" + strings.Repeat("a", 64), strings.Repeat("a", 64),
	strings.Repeat("0", 64), "a__b", "a___b", "a--b", "a..b", "a._b", "a-", "-a", "a/", "/a", "a//b", "",
	"REPLACE-ME", "${IMAGE}", "a:" + strings.Repeat("t", 128), "a:" + strings.Repeat("t", 129), "a:.tag", "a:-tag",
	"x/" + strings.Repeat("p", 260), "docker.io/" + strings.Repeat("p", 250), "my_host.com/app", "host-.com/app",
	"a.b-c.d:1/x_y.z--w", "a:b:c", "a@b@c", "app:tag@sha256:" + strings.Repeat("9", 64) + "x",
}

// FuzzCheckImageName holds CheckImageName to distribution/reference's
// ParseNormalizedNamed, which BuildKit uses: the same names accepted,
// the same error for each one refused.
func FuzzCheckImageName(f *testing.F) {
	for _, s := range referenceSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, wantErr := reference.ParseNormalizedNamed(s)
		gotErr := CheckImageName(s)
		if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
			t.Fatalf("%q: CheckImageName gives %v, ParseNormalizedNamed %v", s, gotErr, wantErr)
		}
	})
}

// FuzzCheckDigest holds CheckDigest to go-digest's Parse.
func FuzzCheckDigest(f *testing.F) {
	for _, s := range []string{"sha256:" + strings.Repeat("a", 64), "sha256:" + strings.Repeat("A", 64), "sha384:" + strings.Repeat("1", 96),
		"sha512:" + strings.Repeat("f", 128), "sha256:abc", "md5:abc", "MD5:abc", "sha256:", ":abc", "sha256", "", "a.b+c_d-e:x=y",
		"a..b:x", "blake3:" + strings.Repeat("a", 64), "sha256:" + strings.Repeat("g", 64)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, wantErr := digest.Parse(s)
		gotErr := CheckDigest(s)
		if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
			t.Fatalf("%q: CheckDigest gives %v, go-digest %v", s, gotErr, wantErr)
		}
	})
}
