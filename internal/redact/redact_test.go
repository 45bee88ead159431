package redact

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	cases := []struct{ in, must, mustNot string }{
		{`GET https://reg.example/v2/: UNAUTHORIZED: bad credentials Authorization: Basic dTpTZWNyZXQxMjM=`, "Authorization: " + Mask, "dTpTZWNyZXQxMjM"},
		{`{"errors":[{"message":"header was \"Basic dTpTZWNyZXQxMjM=\""}]}`, "Basic " + Mask, "dTpT"},
		{`denied: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln is expired`, "Bearer " + Mask, "eyJhbGci"},
		{`Get "https://user:hunter22@reg.example/v2/": EOF`, "https://" + Mask + "@reg.example", "hunter22"},
		{`redirect to https://s3.example/blob?X-Amz-Credential=AKIA123%2F2024&X-Amz-Signature=abcdef0123&x=1`, "X-Amz-Signature=" + Mask, "abcdef0123"},
		{`{"token":"tok_abcdef","access_token":"tok_ghijkl","expires_in":300}`, `"token":"` + Mask, "tok_"},
		{`proxy-authorization: Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1`, Mask, "YIIGhg"},
		{`nothing secret here: sha256:0123abcd layer 2`, "sha256:0123abcd layer 2", Mask},
		// A path ending in a field's name is a path.
		{`--changed /etc/passwd: not inside the build context`, "/etc/passwd: not inside", Mask},
		{`open C:\creds\token: access denied; secrets/password=x`, `\token: access denied; secrets/password=x`, Mask},
		{`login failed: password: hunter22, token=abc&passwd=def`, "password: " + Mask, "hunter22"},
		{`?token=abc&passwd=def`, "passwd=" + Mask, "def"},
	}
	for _, c := range cases {
		got := String(c.in)
		if !strings.Contains(got, c.must) || strings.Contains(got, c.mustNot) {
			t.Errorf("String(%q)\n = %q\nwant it to contain %q and not %q", c.in, got, c.must, c.mustNot)
		}
	}
	if got := String("password is correct-horse, user bob", "correct-horse"); strings.Contains(got, "correct-horse") {
		t.Errorf("known secret kept: %q", got)
	}
}

func TestError(t *testing.T) {
	inner := &fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist}
	err := Error(errors.Join(inner, errors.New("Authorization: Basic dTpTZWNyZXQ=")))
	if strings.Contains(err.Error(), "dTpT") {
		t.Errorf("kept: %v", err)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Error("errors.Is lost the wrapped error")
	}
	if Error(nil) != nil {
		t.Error("Error(nil) != nil")
	}
}
