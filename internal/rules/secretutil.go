package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/lazyre"
)

// Names and values that look like secrets, for DL3064, SD502 and
// SecretsUsedInArgOrEnv.

// Names that suggest a secret, and words that make such a name harmless,
// matched as whole underscore-separated words of the key.
var (
	bkSecretKeyRe   = lazyre.New(`(?i)(?:^|_)(?:apikey|auth|credentials?|key|password|passwd|pword|secret|token)(?:_|$)`)
	bkSecretAllowRe = lazyre.New(`(?i)(?:^|_)(?:public|file|version)(?:_|$)`)
)

// sensitiveWords are name parts that mark a variable as holding a secret.
var sensitiveWords = map[string]bool{
	"password": true, "passwd": true, "passphrase": true, "secret": true, "secrets": true,
	"token": true, "apikey": true, "credential": true, "credentials": true, "privatekey": true,
}

// sensitivePairs are consecutive name parts that mark a secret.
var sensitivePairs = map[[2]string]bool{
	{"api", "key"}: true, {"private", "key"}: true, {"client", "key"}: true, {"access", "key"}: true,
	{"secret", "key"}: true, {"auth", "key"}: true, {"app", "key"}: true, {"application", "key"}: true,
}

// referenceWords, as the last part of a name, mark a variable that points
// to a secret instead of holding it (PASSWORD_FILE, TOKEN_URL).
var referenceWords = map[string]bool{
	"file": true, "path": true, "dir": true, "url": true, "uri": true, "endpoint": true, "name": true,
	"env": true, "var": true, "header": true, "length": true, "len": true, "enabled": true, "required": true,
	"type": true, "mode": true, "location": true, "ref": true, "host": true, "hostname": true,
}

// sensitiveName reports whether a variable name suggests it holds a
// secret.
func sensitiveName(name string) bool {
	parts := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	if len(parts) == 0 || referenceWords[parts[len(parts)-1]] {
		return false
	}
	for i, w := range parts {
		if sensitiveWords[w] {
			return true
		}
		if i+1 < len(parts) && sensitivePairs[[2]string{w, parts[i+1]}] {
			return true
		}
	}
	return false
}
