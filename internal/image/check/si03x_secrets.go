package check

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/vocab"
)

// secretSpec recognizes one kind of secret file by its path and, when the
// name alone is not enough, by its content.
type secretSpec struct {
	what string
	// name reports whether a path may hold this secret.
	name func(p, base string) bool
	// content, if set, must accept the file's first bytes.
	content func(head []byte) bool
}

func baseIs(names ...string) func(p, base string) bool {
	return func(_, base string) bool {
		for _, n := range names {
			if base == n {
				return true
			}
		}
		return false
	}
}

func pathEnds(suffixes ...string) func(p, base string) bool {
	return func(p, _ string) bool {
		for _, s := range suffixes {
			if p == s || strings.HasSuffix(p, "/"+s) {
				return true
			}
		}
		return false
	}
}

func contains(needles ...string) func([]byte) bool {
	return func(head []byte) bool {
		for _, n := range needles {
			if bytes.Contains(head, []byte(n)) {
				return true
			}
		}
		return false
	}
}

var privateKeyMarker = lazyre.New(`-----BEGIN ((RSA|DSA|EC|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----`)

var secretSpecs = []secretSpec{
	{"private key", baseIs("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"), privateKeyMarker.Match},
	{"private key", func(_, base string) bool {
		ext := path.Ext(base)
		return ext == ".pem" || ext == ".key"
	}, privateKeyMarker.Match},
	{".env file", func(_, base string) bool {
		if base == ".env" {
			return true
		}
		if !strings.HasPrefix(base, ".env.") {
			return false
		}
		switch strings.TrimPrefix(base, ".env.") {
		case "example", "sample", "template", "dist", "defaults":
			return false
		}
		return true
	}, func(head []byte) bool { return bytes.ContainsRune(head, '=') }},
	{"AWS credentials", pathEnds(".aws/credentials"), contains("aws_secret_access_key", "aws_access_key_id", "aws_session_token")},
	{"Google Cloud credentials", func(p, base string) bool {
		return base == "application_default_credentials.json" || strings.HasSuffix(p, ".config/gcloud/credentials.db") ||
			(strings.HasSuffix(base, ".json") && (strings.Contains(base, "service-account") || strings.Contains(base, "service_account") || strings.Contains(base, "credentials")))
	}, func(head []byte) bool {
		return bytes.Contains(head, []byte(`"private_key"`)) || bytes.Contains(head, []byte(`"refresh_token"`)) || bytes.Contains(head, []byte("SQLite format"))
	}},
	{"Azure credentials", pathEnds(".azure/accessTokens.json", ".azure/msal_token_cache.json", ".azure/msal_token_cache.bin"), nil},
	{"Docker registry credentials", pathEnds(".docker/config.json"), lazyre.New(`"auth"\s*:\s*"[^"]+"`).Match},
	{"Kubernetes credentials", pathEnds(".kube/config"), contains("client-key-data", "token:", "password:")},
	{".npmrc with a token", baseIs(".npmrc"), lazyre.New(`(?m)(_authToken|_auth|_password)\s*=\s*\S`).Match},
	{".pypirc with a password", baseIs(".pypirc"), lazyre.New(`(?m)^\s*password\s*[=:]\s*\S`).Match},
	{".netrc with a password", baseIs(".netrc", "_netrc"), contains("password")},
	{"git credentials", baseIs(".git-credentials"), func(head []byte) bool { return len(bytes.TrimSpace(head)) > 0 }},
}

// secretPath reports whether any secret spec wants to see p.
func secretPath(p string) bool {
	base := path.Base(p)
	for _, s := range secretSpecs {
		if s.name(p, base) {
			return true
		}
	}
	return false
}

// gitHead recognizes the HEAD file of a .git directory.
func gitHead(p string) bool {
	return p == ".git/HEAD" || strings.HasSuffix(p, "/.git/HEAD")
}

// secretRules report secrets in files (any layer) and in the environment.
func secretRules() []Rule {
	return []Rule{
		{
			ID: "SI033", Name: "secret-file", Severity: vocab.Error,
			Category: vocab.Security, Checklist: vocab.SecurityNoSecrets,
			Doc: Doc{
				Summary: "A secret (private key, credentials, token) is stored in a layer",
				Why: "Anyone who can pull the image can read every layer, including files a later layer deleted. " +
					"Pass secrets at build time with RUN --mount=type=secret and keep them out of the build context with .dockerignore.",
			},
			Capture: secretPath,
			Check:   checkSecretFiles,
		},
		{
			ID: "SI034", Name: "secret-env", Severity: vocab.Error,
			Category: vocab.Security, Checklist: vocab.SecurityNoSecrets,
			Doc: Doc{
				Summary: "The image's environment holds a secret",
				Why: "ENV values are stored in the image configuration, readable by anyone who can pull it " +
					"(docker inspect). Provide secrets at run time instead.",
			},
			Check: checkSecretEnv,
		},
		{
			ID: "SI035", Name: "git-directory", Severity: vocab.Warning,
			Category: vocab.Security, Checklist: vocab.ContextDockerignore,
			Doc: Doc{
				Summary: "A .git directory is stored in a layer",
				Why: "A .git directory carries the repository's whole history, often with credentials in its config. " +
					"List .git in .dockerignore.",
			},
			Capture: gitHead,
			Check:   checkGitDirs,
		},
	}
}

// visibleAt maps the final filesystem's paths to the layer that wrote them.
func visibleAt(r *image.Result) map[string]int {
	m := make(map[string]int, len(r.Files))
	for _, f := range r.Files {
		if f.Kind != image.KindDir {
			m[f.Path] = f.Layer
		}
	}
	return m
}

func checkSecretFiles(r *image.Result) []Hit {
	var visible map[string]int
	var hits []Hit
	for _, c := range r.Captured {
		if c.Kind != image.KindFile || c.Size == 0 {
			continue
		}
		base := path.Base(c.Path)
		for _, s := range secretSpecs {
			if !s.name(c.Path, base) || (s.content != nil && !s.content(c.Head)) {
				continue
			}
			if visible == nil {
				visible = visibleAt(r)
			}
			state := "in the final filesystem"
			if l, ok := visible[c.Path]; !ok || l != c.Layer {
				state = "hidden by a later layer but still stored in the image"
			}
			hits = append(hits, Hit{
				Message: fmt.Sprintf("%s /%s in %s, %s", s.what, c.Path, layerName(r, c.Layer), state),
				Path:    c.Path, Layer: c.Layer,
			})
			break
		}
	}
	return hits
}

func checkGitDirs(r *image.Result) []Hit {
	var hits []Hit
	seen := map[string]bool{}
	for _, c := range r.Captured {
		if !gitHead(c.Path) {
			continue
		}
		dir := parentDir(c.Path)
		if seen[dir] {
			continue
		}
		seen[dir] = true
		hits = append(hits, Hit{
			Message: fmt.Sprintf("git repository /%s copied in by %s; add .git to .dockerignore", dir, layerName(r, c.Layer)),
			Path:    dir, Layer: c.Layer,
		})
	}
	return hits
}

var (
	secretEnvName = lazyre.New(`(?i)(passw(or)?d|passphrase|secret|token|api_?key|access_?key|private_?key|credentials?|auth)`)
	// Names that match the pattern but hold no secret by convention.
	benignEnvName  = lazyre.New(`(?i)(_FILE|_PATH|_DIR|_URL|_HOST|_PORT|_VERSION|_SHA(1|256|512)?|_CHECKSUM|_USER(NAME)?|_ID|_REGION|_TYPE|_ENABLED|_LENGTH|_FINGERPRINT)$|^GPG_KEYS?$|^.*_KEY_ID$`)
	secretEnvValue = []*lazyre.Regexp{
		lazyre.New(`AKIA[0-9A-Z]{16}`),
		lazyre.New(`gh[pousr]_[A-Za-z0-9]{36,}`),
		lazyre.New(`github_pat_[A-Za-z0-9_]{40,}`),
		lazyre.New(`glpat-[A-Za-z0-9_-]{20,}`),
		lazyre.New(`xox[abposr]-[A-Za-z0-9-]{10,}`),
		lazyre.New(`sk_live_[A-Za-z0-9]{20,}`),
		lazyre.New(`npm_[A-Za-z0-9]{36}`),
		privateKeyMarker,
	}
)

func checkSecretEnv(r *image.Result) []Hit {
	if r.Config == nil {
		return nil
	}
	var hits []Hit
	for _, kv := range r.Config.Config.Env {
		name, value, _ := strings.Cut(kv, "=")
		if strings.TrimSpace(value) == "" {
			continue
		}
		why := ""
		for _, re := range secretEnvValue {
			if re.MatchString(value) {
				why = "its value looks like a credential"
				break
			}
		}
		if why == "" && secretEnvName.MatchString(name) && !benignEnvName.MatchString(name) && !placeholder(value) {
			why = "its name says it holds a secret"
		}
		if why == "" {
			continue
		}
		hits = append(hits, Hit{
			Message:    fmt.Sprintf("environment variable %s is set in the image and %s; pass it at run time", name, why),
			Anchor:     "ENV",
			AnchorText: name,
		})
	}
	return hits
}

// placeholder reports values that are clearly not secrets.
func placeholder(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "false", "yes", "no", "0", "1", "none", "null", "changeme", "change-me", "xxx", "secret", "password", "":
		return true
	}
	return strings.HasPrefix(v, "/") // a path to a secret, not the secret
}
