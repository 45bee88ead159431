package rules

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/vocab"
)

// SD502 reports keys, credentials and tokens put into an image.
var SD502 = &Rule{
	ID:        "SD502",
	Name:      "secret-in-image",
	Severity:  vocab.Warning,
	Category:  vocab.Security,
	Checklist: vocab.SecurityNoSecrets,
	Doc: Doc{
		Summary: "A private key, credential file or token is copied into the image or written in the Dockerfile.",
		Why: "Whatever COPY or ADD puts in a layer can be read by anyone who pulls the image, even " +
			"if a later RUN deletes it. SSH keys (id_rsa), TLS private keys (*.key, *.pem with a " +
			"private key), .env files, .npmrc/.pypirc with tokens, .netrc, .git-credentials, " +
			".aws/credentials and service-account JSON files are checked by name (and by " +
			"content when the file is in the build context, so a certificate .pem or an " +
			".npmrc without a token is not reported). COPY . is checked against the files the " +
			"build context really sends after .dockerignore. Tokens written into ENV, ARG or RUN " +
			"(GitHub, GitLab, AWS, Slack, Stripe, Google, npm keys, private-key blocks, URLs with " +
			"a password) are reported too, unless the variable name already gives them away " +
			"(DL3064 and SecretsUsedInArgOrEnv report those), and except placeholders (a URL " +
			"whose password is pass, secret, ${VAR} or whose host is localhost) and the public " +
			"client keys browsers ship (GOOGLE_API_KEY). A value in a build stage that the final " +
			"image does not include is reported as info. Use a build secret instead: RUN " +
			"--mount=type=secret,id=npmrc,target=/root/.npmrc npm ci.",
		Bad:  "COPY .npmrc /root/.npmrc\nRUN npm ci",
		Good: "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci",
	},
	Check: func(p *Pass) error {
		bc := p.Context
		eachInstruction(p.File, func(in, outer *dockerfile.Instruction) {
			// A value in a build stage that only COPY --from reads does
			// not reach the image; it is still in the Dockerfile and the
			// build cache, so it is reported as uncertain.
			buildOnly := in == outer && in.Stage != nil && !p.File.Inherited(in.Stage) && !p.File.UsedAsBase(in.Stage)
			report := p.Report
			stored := "it is stored in the image for anyone to read"
			if buildOnly {
				report = p.ReportUncertain
				stored = "build stage " + stageLabel(in.Stage) + " does not reach the final image, but the value stays in the Dockerfile and the build cache"
			}
			switch in.Cmd {
			case "copy", "add":
				if !fromContext(in) {
					return
				}
				var found []string
				whole := false
				for _, s := range copySources(in) {
					s = dockerfile.TrimQuotes(s)
					if sdRemoteSource(s) || dockerfile.HasVariable(s) {
						continue
					}
					if dockerfile.IsContextSource(s) {
						whole = true
						continue
					}
					rel := cleanRel(s)
					switch {
					case strings.ContainsAny(rel, "*?["):
						matched := false
						walkContext(bc, ".", 3, 5000, func(r string, isDir bool) {
							if ok, _ := path.Match(rel, r); ok && !isDir {
								matched = true
								if secretFile(bc, r) {
									found = append(found, r)
								}
							}
						})
						if !matched && !bc.Known() && secretName(path.Base(rel), rel) {
							found = append(found, rel)
						}
					case isDir(bc, rel):
						walkContext(bc, rel, 3, 5000, func(r string, isDir bool) {
							if !isDir && secretFile(bc, r) {
								found = append(found, r)
							}
						})
					case secretFile(bc, rel):
						found = append(found, rel)
					}
				}
				if whole && (in.Stage == nil || p.File.Inherited(in.Stage) || in != outer) {
					walkContext(bc, ".", 4, 10000, func(r string, isDir bool) {
						if !isDir && secretFile(bc, r) {
							found = append(found, r)
						}
					})
				}
				if len(found) == 0 {
					return
				}
				found = dedupeStrings(found)
				more := ""
				if len(found) > 5 {
					more = fmt.Sprintf(" and %d more", len(found)-5)
					found = found[:5]
				}
				p.Report(outer, "%s%s puts %s%s into the image, where anyone who pulls it can read %s: pass secrets with RUN --mount=type=secret (or leave them out with .dockerignore)",
					triggerPrefix(in, outer), in.Keyword, strings.Join(found, ", "), more, plural(len(found), "it", "them"))
			case "env", "arg":
				for _, kv := range envOrArgPairs(in) {
					name, val := kv[0], dockerfile.TrimQuotes(kv[1])
					if sensitiveName(name) || bkSecretKeyRe.MatchString(name) && !bkSecretAllowRe.MatchString(name) {
						continue
					}
					if kind := secretValue(val); kind != "" {
						report(outer, "%s%s %s holds %s: %s; pass it with RUN --mount=type=secret and rotate it",
							triggerPrefix(in, outer), in.Keyword, name, kind, stored)
					}
				}
			case "run":
				if kind := secretValue(runText(in)); kind != "" && !publicClientKeys(runText(in)) {
					if buildOnly {
						stored = "build stage " + stageLabel(in.Stage) + " does not reach the final image, but the command stays in the Dockerfile and the build cache"
					} else {
						stored = "the command is kept in the image history and in the Dockerfile"
					}
					report(outer, "%sRUN contains %s: %s; pass it with RUN --mount=type=secret and rotate it",
						triggerPrefix(in, outer), kind, stored)
				}
			}
		})
		for _, in := range p.File.GlobalArgs {
			for _, kv := range envOrArgPairs(in) {
				if sensitiveName(kv[0]) || bkSecretKeyRe.MatchString(kv[0]) && !bkSecretAllowRe.MatchString(kv[0]) {
					continue
				}
				if kind := secretValue(dockerfile.TrimQuotes(kv[1])); kind != "" {
					p.Report(in, "ARG %s holds %s in the Dockerfile: pass it at build time as a secret and rotate it", kv[0], kind)
				}
			}
		}
		return nil
	},
}

// cleanRel resolves a context-relative path written in a Dockerfile.
func cleanRel(s string) string {
	return strings.TrimPrefix(path.Clean("/"+dockerfile.TrimQuotes(s)), "/")
}

// secretName reports whether a file name (base, with its
// context-relative path rel) looks like a key or credential file.
func secretName(base, rel string) bool {
	b := strings.ToLower(base)
	switch b {
	case "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".npmrc", ".pypirc", ".netrc", "_netrc", ".git-credentials",
		"credentials.json", "client_secret.json", ".pgpass", ".htpasswd", "service-account.json", "serviceaccount.json":
		return true
	}
	if isEnvFile(base) {
		return true
	}
	r := strings.ToLower(rel)
	if strings.HasSuffix(r, ".aws/credentials") || strings.HasSuffix(r, ".docker/config.json") || strings.HasSuffix(r, ".kube/config") ||
		strings.Contains(r, ".ssh/") && !strings.HasSuffix(r, ".pub") && !strings.HasSuffix(r, "known_hosts") && !strings.HasSuffix(r, "config") {
		return true
	}
	if strings.HasPrefix(b, "client_secret") && strings.HasSuffix(b, ".json") {
		return true
	}
	for _, suf := range []string{".key", ".p12", ".pfx", ".ppk"} {
		if strings.HasSuffix(b, suf) {
			return true
		}
	}
	if strings.HasSuffix(b, ".pem") {
		if strings.Contains(b, "key") || strings.Contains(b, "priv") {
			return true
		}
		for _, pub := range []string{"cert", "chain", "ca", "pub", "bundle", "root"} {
			if strings.Contains(b, pub) {
				return false
			}
		}
		return true
	}
	return false
}

// secretFile reports whether a context file is a key or credential,
// judged by name and, when the file can be read, by content: a .pem or
// .key without a private key, and an .npmrc or .pypirc without a token or
// password, are not secrets.
func secretFile(bc *BuildContext, rel string) bool {
	base := path.Base(rel)
	if !secretName(base, rel) {
		return false
	}
	if !bc.Exists(rel) {
		return true
	}
	head, ok := readHead(bc, rel)
	if !ok {
		return true
	}
	b := strings.ToLower(base)
	switch {
	case strings.HasSuffix(b, ".pem"), strings.HasSuffix(b, ".key"):
		return strings.Contains(head, "PRIVATE KEY")
	case b == ".npmrc", b == ".pypirc":
		l := strings.ToLower(head)
		return strings.Contains(l, "_auth") || strings.Contains(l, "token") || strings.Contains(l, "password")
	}
	return true
}

// readHead reads the first 8 KiB of a context file.
func readHead(bc *BuildContext, rel string) (string, bool) {
	if !bc.Known() {
		return "", false
	}
	f, err := os.Open(filepath.Join(bc.Dir, filepath.FromSlash(rel)))
	if err != nil {
		return "", false
	}
	defer f.Close()
	buf := make([]byte, 8192)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", false
	}
	return string(buf[:n]), true
}

// secretPatterns recognise credentials by their format. Each has the
// literal text every match contains, so the regular expression only runs
// on strings that could match.
var secretPatterns = []struct {
	hint string
	re   *lazyre.Regexp
	kind string
}{
	{"AKIA", lazyre.New(`\bAKIA[0-9A-Z]{16}\b`), "an AWS access key ID"},
	{"ASIA", lazyre.New(`\bASIA[0-9A-Z]{16}\b`), "an AWS access key ID"},
	{"gh", lazyre.New(`\bgh[pousr]_[A-Za-z0-9]{36,}\b`), "a GitHub token"},
	{"github_pat_", lazyre.New(`\bgithub_pat_[A-Za-z0-9_]{40,}\b`), "a GitHub token"},
	{"glpat-", lazyre.New(`\bglpat-[A-Za-z0-9_\-]{20,}\b`), "a GitLab token"},
	{"xox", lazyre.New(`\bxox[abprs]-[A-Za-z0-9-]{10,}\b`), "a Slack token"},
	{"k_live_", lazyre.New(`\b[sr]k_live_[0-9A-Za-z]{20,}\b`), "a Stripe live key"},
	{"AIza", lazyre.New(`\bAIza[0-9A-Za-z_\-]{35}\b`), "a Google API key"},
	{"npm_", lazyre.New(`\bnpm_[A-Za-z0-9]{36}\b`), "an npm token"},
	{"PRIVATE KEY-----", lazyre.New(`-----BEGIN ([A-Z]+ )?PRIVATE KEY-----`), "a private key"},
	{"@", lazyre.New(`\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^/\s:@$'"]+:[^/\s@$'"{}]+@[^\s/]`), "a URL with a password"},
}

// secretValue returns what kind of secret s contains, or "". A URL
// whose password or host is a placeholder (user:pass@localhost,
// ${PASSWORD}) is not one.
func secretValue(s string) string {
	for _, sp := range secretPatterns {
		if !strings.Contains(s, sp.hint) {
			continue
		}
		for _, m := range sp.re.FindAllString(s, -1) {
			if sp.kind == "a URL with a password" && placeholderURL(m) {
				continue
			}
			return sp.kind
		}
	}
	return ""
}

// placeholderPasswords are passwords that say they are not real.
var placeholderPasswords = map[string]bool{
	"pass": true, "password": true, "passwd": true, "secret": true, "changeme": true, "example": true,
	"dummy": true, "test": true, "testing": true, "xxx": true, "xxxx": true, "***": true, "pwd": true,
	"placeholder": true, "foo": true, "bar": true, "user": true, "root": true, "postgres": true,
}

// placeholderURL reports whether a URL with a password (scheme://user:
// password@host) is an example: its password is a placeholder or its
// host is a local or example one.
func placeholderURL(m string) bool {
	_, rest, _ := strings.Cut(m, "://")
	cred, host, _ := strings.Cut(rest, "@")
	_, pw, _ := strings.Cut(cred, ":")
	pw = strings.ToLower(pw)
	if placeholderPasswords[pw] || strings.HasPrefix(pw, "<") || strings.Contains(pw, "$") || strings.Trim(pw, "x*.") == "" {
		return true
	}
	h := strings.ToLower(host)
	for _, local := range []string{"localhost", "127.0.0.1", "example.com", "example.org", "dummy", "0.0.0.0"} {
		if strings.HasPrefix(h, local) {
			return true
		}
	}
	return false
}

// publicClientKeys reports whether a RUN writes Google's public client
// keys (GOOGLE_API_KEY and GOOGLE_DEFAULT_CLIENT_ID that browsers such as
// Chromium ship with, as distributions do): public by design.
func publicClientKeys(s string) bool {
	return strings.Contains(s, "GOOGLE_API_KEY") || strings.Contains(s, "GOOGLE_DEFAULT_CLIENT_ID")
}

// envOrArgPairs returns the name/value pairs of an ENV or ARG (an ARG
// without a default has an empty value).
func envOrArgPairs(in *dockerfile.Instruction) [][2]string {
	if in.Cmd == "env" {
		return in.Pairs()
	}
	var out [][2]string
	for _, a := range in.Args {
		k, v, _ := strings.Cut(a, "=")
		out = append(out, [2]string{k, v})
	}
	return out
}

// walkContext calls fn for every path under the context-relative
// directory root that is sent to the builder, up to maxDepth levels below
// root and maxEntries entries in all. It skips .git and node_modules.
func walkContext(bc *BuildContext, root string, maxDepth, maxEntries int, fn func(rel string, isDir bool)) {
	if !bc.Known() {
		return
	}
	count := 0
	var walk func(rel string, depth int)
	walk = func(rel string, depth int) {
		ents, err := os.ReadDir(filepath.Join(bc.Dir, filepath.FromSlash(rel)))
		if err != nil {
			return
		}
		names := make([]string, 0, len(ents))
		dirs := map[string]bool{}
		for _, e := range ents {
			names = append(names, e.Name())
			dirs[e.Name()] = e.IsDir()
		}
		sort.Strings(names)
		for _, n := range names {
			if count >= maxEntries {
				return
			}
			r := n
			if rel != "." && rel != "" {
				r = rel + "/" + n
			}
			if bc.Excluded(r) {
				continue
			}
			count++
			fn(r, dirs[n])
			if dirs[n] && depth < maxDepth && n != ".git" && n != "node_modules" {
				walk(r, depth+1)
			}
		}
	}
	walk(root, 0)
}

// stageLabel names a stage for messages.
func stageLabel(st *dockerfile.Stage) string {
	if st.Name != "" {
		return st.Name
	}
	return fmt.Sprint(st.Index)
}
