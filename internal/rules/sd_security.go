package rules

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// Checklist rules about security (SD5xx).

// SD501 reports an application image that never switches to a non-root
// user.
var SD501 = &Rule{
	ID:        "SD501",
	Name:      "no-non-root-user",
	Severity:  vocab.Warning,
	Category:  vocab.Security,
	Checklist: SecurityNonRoot,
	Doc: Doc{
		Summary: "The final image never sets a non-root USER: the application runs as root.",
		Why: "Without USER the container's process runs as root (UID 0). Any bug that lets an " +
			"attacker run code gives them root inside the container, write access to everything " +
			"in the image, and the best starting point for a container escape. Create an " +
			"unprivileged user and switch to it before CMD. The USER in force is the final " +
			"stage's last USER or, failing that, the last USER of the stages it is built FROM; " +
			"builder stages are ignored. Images that already run unprivileged are accepted: " +
			"distroless :nonroot tags, Chainguard images (not -dev), nginx-unprivileged and " +
			"Bitnami images. Only images that say what they run (CMD or ENTRYPOINT in the final " +
			"stage chain) are checked: a Dockerfile without one builds a base image, whose " +
			"children choose the user. A USER that is root is DL3002's finding. Windows images " +
			"are skipped. An unsafe fix creates a user (UID 10001) and switches to it before " +
			"CMD (a numeric USER on scratch and distroless).",
		Bad:  "FROM python:3.12-slim\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]",
		Good: "FROM python:3.12-slim\nRUN useradd --system --uid 10001 app\nCOPY app.py /app/\nUSER 10001\nCMD [\"python\", \"/app/app.py\"]",
	},
	Check: func(p *Pass) error {
		st := p.File.FinalStage()
		if st == nil || isWindowsStage(p.File, st) || finalUser(p.File) != nil {
			return nil
		}
		ins := finalInstructions(p.File)
		run := firstRunSpec(ins)
		if run == nil {
			return nil
		}
		root := finalChain(p.File)[0]
		if root.Base.Unresolved || nonRootBase(root.Base) {
			return nil
		}
		advice := "create an unprivileged user (useradd/adduser) and add USER before it"
		switch {
		case root.Base.Scratch:
			advice = "add a numeric USER (e.g. USER 10001:10001) before it; it needs no /etc/passwd"
		case isDistroless(root.Base):
			advice = "use the :nonroot tag of the image or add USER 65532:65532 before it"
		}
		fix := nonRootFix(p, p.File.FinalStage())
		last := lastRunSpec(ins)
		p.ReportFix(last, fix, "the final image never sets USER, so %s runs as root: %s", strings.ToUpper(last.Cmd), advice)
		return nil
	},
}

// firstRunSpec and lastRunSpec return the first and last CMD or
// ENTRYPOINT among ins.
func firstRunSpec(ins []*dockerfile.Instruction) *dockerfile.Instruction {
	for _, in := range ins {
		if in.Cmd == "cmd" || in.Cmd == "entrypoint" {
			return in
		}
	}
	return nil
}

func lastRunSpec(ins []*dockerfile.Instruction) *dockerfile.Instruction {
	var last *dockerfile.Instruction
	for _, in := range ins {
		if in.Cmd == "cmd" || in.Cmd == "entrypoint" {
			last = in
		}
	}
	return last
}

// nonRootBase reports whether an image runs as a non-root user by
// default.
func nonRootBase(ref dockerfile.ImageRef) bool {
	r := strings.ToLower(ref.Registry + "/" + ref.Repository)
	tag := strings.ToLower(ref.Tag)
	switch {
	case strings.Contains(r, "distroless") && strings.Contains(tag, "nonroot"):
		return true
	case strings.HasPrefix(r, "cgr.dev/chainguard/") && !strings.Contains(tag, "dev"):
		return true
	case strings.Contains(r, "nginx-unprivileged"), strings.Contains(r, "rootless"), strings.Contains(tag, "rootless"):
		return true
	case strings.HasPrefix(ref.Repository, "bitnami/"):
		return true
	}
	return false
}

// SD502 reports keys, credentials and tokens put into an image.
var SD502 = &Rule{
	ID:        "SD502",
	Name:      "secret-in-image",
	Severity:  vocab.Warning,
	Category:  vocab.Security,
	Checklist: SecurityNoSecrets,
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
			"(DL3064 and SecretsUsedInArgOrEnv report those). Use a build secret instead: RUN " +
			"--mount=type=secret,id=npmrc,target=/root/.npmrc npm ci.",
		Bad:  "COPY .npmrc /root/.npmrc\nRUN npm ci",
		Good: "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci",
	},
	Check: func(p *Pass) error {
		bc := p.Context
		eachInstruction(p.File, func(in, outer *dockerfile.Instruction) {
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
						p.Report(outer, "%s%s %s holds %s: it is stored in the image for anyone to read; pass it with RUN --mount=type=secret and rotate it",
							triggerPrefix(in, outer), in.Keyword, name, kind)
					}
				}
			case "run":
				if kind := secretValue(runText(in)); kind != "" {
					p.Report(outer, "%sRUN contains %s: the command is kept in the image history and in the Dockerfile; pass it with RUN --mount=type=secret and rotate it",
						triggerPrefix(in, outer), kind)
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
	re   *regexp.Regexp
	kind string
}{
	{"AKIA", regexp.MustCompile(`\bAKIA[0-9A-Z]{16}\b`), "an AWS access key ID"},
	{"ASIA", regexp.MustCompile(`\bASIA[0-9A-Z]{16}\b`), "an AWS access key ID"},
	{"gh", regexp.MustCompile(`\bgh[pousr]_[A-Za-z0-9]{36,}\b`), "a GitHub token"},
	{"github_pat_", regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{40,}\b`), "a GitHub token"},
	{"glpat-", regexp.MustCompile(`\bglpat-[A-Za-z0-9_\-]{20,}\b`), "a GitLab token"},
	{"xox", regexp.MustCompile(`\bxox[abprs]-[A-Za-z0-9-]{10,}\b`), "a Slack token"},
	{"k_live_", regexp.MustCompile(`\b[sr]k_live_[0-9A-Za-z]{20,}\b`), "a Stripe live key"},
	{"AIza", regexp.MustCompile(`\bAIza[0-9A-Za-z_\-]{35}\b`), "a Google API key"},
	{"npm_", regexp.MustCompile(`\bnpm_[A-Za-z0-9]{36}\b`), "an npm token"},
	{"PRIVATE KEY-----", regexp.MustCompile(`-----BEGIN ([A-Z]+ )?PRIVATE KEY-----`), "a private key"},
	{"@", regexp.MustCompile(`\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^/\s:@$'"]+:[^/\s@$'"{}]+@[^\s/]`), "a URL with a password"},
}

// secretValue returns what kind of secret s contains, or "".
func secretValue(s string) string {
	for _, sp := range secretPatterns {
		if strings.Contains(s, sp.hint) && sp.re.MatchString(s) {
			return sp.kind
		}
	}
	return ""
}

// SD503 suggests a distroless runtime for a final image whose program
// needs no shell or package manager.
var SD503 = &Rule{
	ID:        "SD503",
	Name:      "shell-not-needed",
	Severity:  vocab.Info,
	Category:  vocab.Security,
	Checklist: SecurityMinimalRuntime,
	Doc: Doc{
		Summary: "The final image keeps a shell and a package manager its program does not need; consider a distroless base.",
		Why: "A shell, a package manager and coreutils in the running image are what an " +
			"attacker uses after getting in (download a tool, install it, explore), and they are " +
			"CVEs to patch. When the program starts from an exec-form CMD/ENTRYPOINT it needs none " +
			"of them. The rule is deliberately narrow and informational: it fires only when the " +
			"final image is built on a distribution (alpine, debian, ubuntu, their slim " +
			"variants) and starts, in exec form, a binary copied from a build stage (COPY " +
			"--from). gcr.io/distroless/static-debian12 (for a static binary) or " +
			"distroless/base-debian12 (for one linked against glibc) hold CA certificates, " +
			"tzdata and a nonroot user, and nothing else. Interpreted apps (Python, Node.js, " +
			"Java) are left alone: distroless interpreters come in fixed versions that often " +
			"differ from the app's. It stays quiet when a shell-form HEALTHCHECK needs a shell.",
		Bad:  "FROM alpine:3.20\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]",
		Good: "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]",
	},
	Check: func(p *Pass) error {
		chain := finalChain(p.File)
		if len(chain) == 0 || isWindowsStage(p.File, p.File.FinalStage()) {
			return nil
		}
		root := chain[0]
		if root.Base.Unresolved || root.BaseStage != nil {
			return nil
		}
		ins := finalInstructions(p.File)
		argv, spec := execArgv(ins)
		if len(argv) == 0 {
			return nil
		}
		if hc := lastOf(ins, "healthcheck"); hc != nil && !(len(hc.Args) > 0 && strings.EqualFold(hc.Args[0], "none")) {
			if !hc.JSON {
				return nil
			}
		}
		repo := officialRepo(root.Base)
		prog := argv[0]
		switch repo {
		case "alpine", "debian", "ubuntu", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "oraclelinux":
			if from := copiedFromStage(ins, prog); from != "" {
				p.Report(root.From, "the final image runs %s, a binary copied from stage %s, from an exec-form %s on %s, which keeps a shell and a package manager it does not need: consider gcr.io/distroless/static-debian12 (a static binary) or gcr.io/distroless/base-debian12",
					prog, from, strings.ToUpper(spec.Cmd), root.Base.Raw)
			}
		}
		return nil
	},
}

// execArgv returns the argv the image starts with when it is given in
// exec form: the ENTRYPOINT, or the CMD when there is no ENTRYPOINT.
func execArgv(ins []*dockerfile.Instruction) ([]string, *dockerfile.Instruction) {
	if ep := lastOf(ins, "entrypoint"); ep != nil {
		if !ep.JSON || len(ep.Args) == 0 {
			return nil, nil
		}
		return ep.Args, ep
	}
	if cmd := lastOf(ins, "cmd"); cmd != nil && cmd.JSON && len(cmd.Args) > 0 {
		return cmd.Args, cmd
	}
	return nil, nil
}

// copiedFromStage returns the stage (or image) a COPY --from copied the
// program file prog from, or "".
func copiedFromStage(ins []*dockerfile.Instruction, prog string) string {
	if !path.IsAbs(prog) {
		return ""
	}
	for _, in := range ins {
		if in.Cmd != "copy" {
			continue
		}
		from, ok := in.Flag("from")
		if !ok {
			continue
		}
		for _, d := range copyDests(in) {
			if d == path.Clean(prog) {
				return from
			}
		}
	}
	return ""
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
