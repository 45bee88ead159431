// Package redact removes credentials from text bound for a message or a
// log line: the values of Authorization headers (Basic, Bearer and other
// schemes), the user information of URLs, token and signature parameters
// of URLs, token and password fields of JSON bodies a server echoed, and
// any secret the caller knows by value.
package redact

import (
	"strings"

	"github.com/stratatools/strata/internal/lazyre"
)

// Mask replaces what is removed.
const Mask = "[REDACTED]"

var (
	// An authorization value: "Basic dTpw", "Bearer eyJ...", also after
	// "Authorization:" or inside quotes.
	authValue = lazyre.New(`(?i)\b(basic|bearer|token|digest|negotiate|aws4-hmac-sha256)(\s+|%20)[A-Za-z0-9._~+/=\-:,]{4,}`)
	// A header line whose value is a credential whatever its scheme.
	authHeader = lazyre.New(`(?i)\b((?:proxy-)?authorization|x-registry-auth|x-amz-security-token|cookie|set-cookie)(\s*[:=]\s*"?)[^"\r\n]+`)
	// URL user information: scheme://user:password@host.
	userinfo = lazyre.New(`(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@"']+@`)
	// Query parameters and JSON or form fields that carry credentials.
	// A name that ends a path (/etc/passwd: no such file) is no field.
	param = lazyre.New(`(?i)(^|[^\w/\\.\-])(access_token|refresh_token|id_token|identitytoken|registrytoken|token|password|passwd|secret|client_secret|auth|x-amz-signature|x-amz-credential|x-amz-security-token|signature|sig)("?\s*[:=]\s*"?)[^&"\s,;}]+`)
)

// String returns s with credentials masked; secrets are also masked
// wherever they appear (values shorter than 4 bytes are left alone,
// masking them would garble the message).
func String(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, Mask)
		}
	}
	s = authHeader.ReplaceAllString(s, "${1}${2}"+Mask)
	s = authValue.ReplaceAllString(s, "${1}${2}"+Mask)
	s = userinfo.ReplaceAllString(s, "${1}"+Mask+"@")
	s = param.ReplaceAllString(s, "${1}${2}${3}"+Mask)
	return s
}

// Error returns err with its message passed through String; errors.Is and
// errors.As still see err. It returns nil for nil.
func Error(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	if r, ok := err.(*redacted); ok && len(secrets) == 0 {
		return r
	}
	return &redacted{err: err, msg: String(err.Error(), secrets...)}
}

type redacted struct {
	err error
	msg string
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }
