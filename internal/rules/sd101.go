package rules

import (
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/eol"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/fix/plan"
	"github.com/stratatools/strata/internal/intent"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// SD101 reports a final image built on a full distribution or a full
// language or SDK image where a slim, alpine, distroless or scratch
// variant would do.
var SD101 = &Rule{
	ID:        "SD101",
	Name:      "heavy-base-image",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: vocab.BaseImageLightweight,
	Doc: Doc{
		Summary: "The final image is built on a full distribution or a full language/SDK image; use a slim, alpine, distroless or scratch variant.",
		Why: "The base image is usually most of the final image. Full images such as ubuntu, " +
			"debian, python:3.12 or node:22 bring compilers, headers, documentation and tools the " +
			"application never runs (python:3.12 is about 1 GB, python:3.12-slim about 150 MB), " +
			"and every extra package is more to pull and more CVEs to patch. The rule looks only " +
			"at the base of the final image (the stage chain the build produces): builder stages " +
			"may be as fat as they like. It suggests the variant that fits what the image runs: " +
			"-slim for Python, Ruby and Perl, -slim or -alpine for Node, a JRE instead of a JDK " +
			"for Java, scratch or distroless/static for a static Go binary (CGO_ENABLED=0), the " +
			"language's slim image when a bare distribution installs the runtime the program is. " +
			"It keeps quiet where no lighter base keeps the image working: base images, " +
			"toolchains and devcontainers (the SDK is the product), variants that are already " +
			"small (alpine3.19, -slim, -jre, with or without a digest), php (apache to fpm changes " +
			"how the app is served, alpine changes the C library), Ubuntu images that install " +
			"from PPAs, Ubuntu repositories or .debs, a JDK whose program runs JDK tools, node " +
			"dependencies that compile native code. The offered " +
			"fix (a -slim or -jre tag) is unsafe: the smaller image lacks compilers and tools a " +
			"later RUN may need.",
		Bad:  "FROM python:3.12\nCOPY . /app\nCMD [\"python\", \"/app/app.py\"]",
		Good: "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"/app/app.py\"]",
	},
	Check: func(p *Pass) error {
		chain := finalChain(p.File)
		if len(chain) == 0 {
			return nil
		}
		root := chain[0]
		if root.Base.Unresolved || root.Base.Scratch || root.BaseStage != nil || isWindowsStage(p.File, p.File.FinalStage()) {
			return nil
		}
		img := imageOf(p)
		if img.Is(notAnApp) || debugStage(img) || !img.Program.Known() {
			return nil
		}
		adv, ok := adviseBase(p, img, root.Base)
		if !ok {
			return nil
		}
		var fix *edit.Fix
		if strings.HasPrefix(installedRuntime(p), "Python") && !parentOfDevStage(p.File, root) {
			fix = pythonImageFix(p, root)
		}
		if (fix == nil || fix.Declined != "") && adv.newTag != "" && !parentOfDevStage(p.File, root) {
			fix = plan.Retag(planInput{p}, root, adv.newTag)
		}
		switch {
		case fix != nil:
		case parentOfDevStage(p.File, root):
			fix = edit.Decline("a development stage is built on this base and expects the full image's tools")
		case adv.newTag == "":
			fix = edit.Decline("the lighter base is another image, or its tag cannot be derived: the fix only moves to a lighter tag of the same image")
		default:
			fix = edit.Decline("the build or a stage built on the base uses what the lighter image lacks (compilers, git, curl, a JDK's tools)")
		}
		p.ReportFix(root.From, fix, "the final image is built on %s, %s", root.Base.Raw, adv.text)
		return nil
	},
}

// pythonImageFix is SD101's fix for a Debian or Ubuntu base on which
// the image installs Python: the official python:X.Y-slim image, with
// the release's own Python version when it is still supported (see
// eol.Base.PythonImage).
func pythonImageFix(p *Pass, root *dockerfile.Stage) *edit.Fix {
	b, ok := eol.Lookup(root.Base)
	if !ok || b.Family.Name != "debian" && b.Family.Name != "ubuntu" {
		return nil
	}
	img, version, ok := b.PythonImage(p.Settings.today())
	if !ok {
		return nil
	}
	why := ""
	if b.Ended(p.Settings.today()) {
		why = root.BaseRaw + " is past its end of life (" + b.Describe() + ")"
	}
	return plan.PythonImage(planInput{p}, root, img, version, b.DistroPython(), why)
}

type baseAdvice struct {
	text   string // the reason and what to use instead
	newTag string // replacement tag for an unsafe fix, or ""
}

var (
	debianCodenames  = map[string]bool{"bookworm": true, "bullseye": true, "buster": true, "trixie": true, "stretch": true}
	numericVersionRe = lazyre.New(`^\d+[\d._]*$`)
	lightTagRe       = lazyre.New(`(^|[-_.])(slim|alpine|minimal|micro|distroless|chiseled|busybox|nanoserver|jre|runtime|runtime-deps|aspnet)(\d[\d.]*)?([-_.]|$)|windowsservercore`)
	// eolCodenames are Debian releases whose images are frozen: never
	// offered as a new tag.
	eolCodenames = map[string]bool{"buster": true, "stretch": true, "jessie": true, "wheezy": true}
)

// parentOfDevStage reports whether a later stage is built FROM st for
// development (dev-envs, devcontainer, dev): such a stage expects the
// full image's tools, so the base is not changed under it.
func parentOfDevStage(f *dockerfile.File, st *dockerfile.Stage) bool {
	for _, o := range f.Stages {
		for _, c := range o.Chain() {
			if c == st && o != st && devStageName(o.Name) {
				return true
			}
		}
	}
	return false
}

func devStageName(n string) bool {
	switch strings.ToLower(n) {
	case "dev", "development", "dev-envs", "dev-env", "devcontainer", "debug":
		return true
	}
	return false
}

// nativeNodeBuild reports whether the npm dependencies of the build
// context compile native code (node-gyp), which a -slim image cannot do.
func nativeNodeBuild(p *Pass) bool {
	for _, n := range []string{"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"} {
		head, ok := readHead(p.Context, n)
		if !ok {
			continue
		}
		if strings.Contains(head, `"gypfile": true`) || strings.Contains(head, "node-gyp") || strings.Contains(head, "binding.gyp") {
			return true
		}
	}
	return false
}

// adviseBase judges an external base image used by the final image.
func adviseBase(p *Pass, img *intent.Image, ref dockerfile.ImageRef) (baseAdvice, bool) {
	repo := officialRepo(ref)
	tag := strings.ToLower(ref.Tag)
	light := lightTagRe.MatchString(tag)
	prog := img.Program
	switch repo {
	case "python", "ruby", "perl", "node":
		if light || repo == "node" && nativeNodeBuild(p) {
			return baseAdvice{}, false
		}
		lang := map[string]string{"python": "Python", "ruby": "Ruby", "perl": "Perl", "node": "Node.js"}[repo]
		alt := repo + ":" + orDefault(slimTag(repo, tag), "<version>-slim")
		extra := ""
		if repo == "node" {
			extra = " (or " + repo + ":" + orDefault(alpineTag(tag), "<version>-alpine") + ")"
		}
		newTag := slimTag(repo, tag)
		if eolCodenames[codenameOf(tag)] {
			newTag = ""
		}
		return baseAdvice{
			text:   fmt.Sprintf("the full %s image with compilers, headers and build tools (about 1 GB): use %s%s, the same runtime in a fraction of the size", lang, alt, extra),
			newTag: newTag,
		}, true
	case "php":
		// php's Debian images have no slim variant; the alpine ones change
		// the C library, and apache → fpm changes how the app is served.
		return baseAdvice{}, false
	case "golang", "rust", "maven", "gradle", "buildpack-deps":
		if toolchainAtRunTime(prog) {
			return baseAdvice{}, false
		}
	}
	switch repo {
	case "golang":
		return baseAdvice{text: "which ships the whole Go toolchain to run one binary: " + goRuntimeAdvice(p)}, true
	case "rust":
		return baseAdvice{text: "which ships the whole Rust toolchain: build in a rust stage and copy the binary into gcr.io/distroless/cc-debian12 (or scratch for a static musl build)"}, true
	case "openjdk", "eclipse-temurin", "amazoncorretto", "ibmjava", "sapmachine":
		if strings.Contains(tag, "jre") || !runsJavaOnly(prog) {
			return baseAdvice{}, false
		}
		if repo == "ibmjava" && tag != "" && !strings.Contains(tag, "sdk") {
			return baseAdvice{}, false
		}
		alt := "eclipse-temurin:<version>-jre"
		newTag := ""
		if repo == "eclipse-temurin" {
			newTag = jreTag(tag)
			alt = "eclipse-temurin:" + orDefault(newTag, "<version>-jre")
		}
		return baseAdvice{text: "a JDK (compiler and tools included): the final image only needs a Java runtime, use " + alt + " or a jlink-ed runtime on gcr.io/distroless/java", newTag: newTag}, true
	case "maven", "gradle":
		return baseAdvice{text: "a build-tool image (JDK, " + repo + " and its caches): build in a " + repo + " stage and copy the jar into an eclipse-temurin:<version>-jre final stage"}, true
	case "buildpack-deps":
		return baseAdvice{text: "a full build environment (compilers, headers, VCS tools): build in it, then copy the result into debian:<release>-slim or a distroless image"}, true
	case "ubuntu":
		// Ubuntu images are minimized already, and what they install
		// from PPAs, Ubuntu-only repositories and .debs has no Debian
		// or Alpine equivalent to move to: only a language runtime
		// installed from Ubuntu's own archive has a lighter home.
		if ubuntuSpecific(p) {
			return baseAdvice{}, false
		}
		if rt := installedRuntime(p); rt != "" {
			return baseAdvice{text: "a full Ubuntu distribution on which the image installs " + rt}, true
		}
		return baseAdvice{}, false
	case "debian", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "oraclelinux":
		if light {
			return baseAdvice{}, false
		}
		if repo == "amazonlinux" && !strings.HasPrefix(tag, "2023") {
			return baseAdvice{}, false
		}
		return distroAdvice(p, repo, tag), true
	}
	r := strings.ToLower(ref.Repository)
	if strings.HasSuffix(r, "dotnet/sdk") && strings.Contains(strings.ToLower(ref.Registry), "mcr.microsoft.com") && !toolchainAtRunTime(prog) {
		return baseAdvice{text: "the .NET SDK: publish in an sdk stage and copy the output into mcr.microsoft.com/dotnet/aspnet (or dotnet/runtime, or runtime-deps for a self-contained app)"}, true
	}
	return baseAdvice{}, false
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// slimTag returns the -slim tag matching tag for python, ruby, perl and
// node images, or "" when it cannot be derived exactly.
func slimTag(repo, tag string) string {
	if tag == "" || tag == "latest" {
		return ""
	}
	ver, codename, _ := strings.Cut(tag, "-")
	if !versionRe.MatchString(ver) && !(repo == "node" && (ver == "lts" || ver == "current")) {
		return ""
	}
	if codename == "" {
		return ver + "-slim"
	}
	if !debianCodenames[codename] {
		return ""
	}
	if repo == "node" {
		return ver + "-" + codename + "-slim"
	}
	return ver + "-slim-" + codename
}

func alpineTag(tag string) string {
	ver, _, _ := strings.Cut(tag, "-")
	if versionRe.MatchString(ver) {
		return ver + "-alpine"
	}
	return ""
}

// jreTag returns the eclipse-temurin JRE tag for a JDK tag.
func jreTag(tag string) string {
	if tag == "" || tag == "latest" {
		return ""
	}
	if strings.Contains(tag, "jdk") {
		return strings.Replace(tag, "jdk", "jre", 1)
	}
	ver, rest, has := strings.Cut(tag, "-")
	if !numericVersionRe.MatchString(ver) {
		return ""
	}
	if has {
		return ver + "-jre-" + rest
	}
	return ver + "-jre"
}

// goRuntimeAdvice suggests a runtime base for a Go program, depending on
// whether it is built static (CGO_ENABLED=0).
func goRuntimeAdvice(p *Pass) string {
	if goStatic(p) {
		return "the binary is built with CGO_ENABLED=0, so build it in a golang stage and copy it into scratch or gcr.io/distroless/static-debian12"
	}
	return "build it in a golang stage and copy the binary into gcr.io/distroless/base-debian12 (or scratch/distroless/static with CGO_ENABLED=0)"
}

// goStatic reports whether the final image's Go build disables cgo.
func goStatic(p *Pass) bool {
	for _, in := range finalInstructions(p.File) {
		switch in.Cmd {
		case "env", "arg":
			for _, kv := range in.Pairs() {
				if kv[0] == "CGO_ENABLED" && dockerfile.TrimQuotes(kv[1]) == "0" {
					return true
				}
			}
			for _, a := range in.Args {
				if a == "CGO_ENABLED=0" {
					return true
				}
			}
		case "run":
			for _, rs := range p.Shell(in) {
				for _, c := range rs.Find("go") {
					if v, ok := rs.Env(c, "CGO_ENABLED"); ok && v == "0" {
						return true
					}
				}
			}
		}
	}
	return false
}

// distroAdvice suggests a lighter base for a full distribution, from the
// runtime the final image installs when it can tell.
func distroAdvice(p *Pass, repo, tag string) baseAdvice {
	names := map[string]string{"ubuntu": "Ubuntu", "debian": "Debian", "centos": "CentOS", "fedora": "Fedora",
		"rockylinux": "Rocky Linux", "almalinux": "AlmaLinux", "amazonlinux": "Amazon Linux", "oraclelinux": "Oracle Linux"}
	what := "a full " + names[repo] + " distribution"
	debianSlim := ""
	if repo == "debian" && tag != "" && (versionRe.MatchString(tag) || debianCodenames[tag] || tag == "stable" || tag == "oldstable" || tag == "testing") {
		debianSlim = tag + "-slim"
	}
	if rt := installedRuntime(p); rt != "" {
		if debianSlim != "" {
			// The language image is the better base, but moving to it
			// changes how the runtime is installed; the same packages
			// on the slim variant is the change a fix can make.
			return baseAdvice{text: what + " on which the image installs " + rt + "; or at least debian:" + debianSlim, newTag: debianSlim}
		}
		return baseAdvice{text: what + " on which the image installs " + rt}
	}
	switch repo {
	case "debian":
		nt := debianSlim
		return baseAdvice{text: what + ": use debian:" + orDefault(nt, "<release>-slim") + " (no documentation, locales or man pages), or alpine or distroless when the app allows", newTag: nt}
	case "rockylinux", "almalinux":
		nt := ""
		if versionRe.MatchString(tag) {
			nt = tag + "-minimal"
		}
		return baseAdvice{text: what + ": use " + repo + ":" + orDefault(nt, "<version>-minimal") + " (microdnf instead of dnf and Python)", newTag: nt}
	case "amazonlinux":
		return baseAdvice{text: what + ": use amazonlinux:2023-minimal", newTag: "2023-minimal"}
	case "centos":
		return baseAdvice{text: what + " (end of life): use rockylinux:9-minimal, registry.access.redhat.com/ubi9/ubi-minimal, or alpine or distroless when the app allows"}
	case "fedora":
		return baseAdvice{text: what + ": use registry.fedoraproject.org/fedora-minimal, or alpine or distroless when the app allows"}
	}
	return baseAdvice{text: what + ": use alpine, debian:<release>-slim or a distroless image that holds only what the app needs"}
}

// runtimeImages maps installed distribution packages to the official
// image that provides the same runtime slim.
var runtimeImages = []struct {
	prefixes []string
	advice   string
}{
	{[]string{"python3", "python"}, "Python: use python:3.<minor>-slim (e.g. python:3.12-slim), which has Python and pip on a slim Debian, or python:3.<minor>-alpine"},
	{[]string{"nodejs", "npm"}, "Node.js: use node:<major>-slim or node:<major>-alpine"},
	{[]string{"openjdk-", "default-jre", "default-jdk", "java-", "temurin-"}, "Java: use eclipse-temurin:<version>-jre (a runtime, not a JDK) or gcr.io/distroless/java"},
	{[]string{"golang"}, "Go: build in a golang stage and copy the binary into scratch or gcr.io/distroless/static-debian12"},
	{[]string{"ruby"}, "Ruby: use ruby:<version>-slim"},
	{[]string{"php"}, "PHP: use php:<version>-fpm-alpine or php:<version>-cli-alpine"},
}

// toolchainAtRunTime reports whether the program uses a compiler or SDK
// when it runs: the toolchain itself, or a tool that drives one.
func toolchainAtRunTime(prog intent.Program) bool {
	for c := range prog.Commands {
		switch c {
		case "go", "cargo", "rustc", "mvn", "mvnw", "gradle", "gradlew", "dotnet", "make", "gcc", "cc", "javac", "xcaddy",
			"golint", "staticcheck", "golangci-lint", "gofmt":
			if c != "dotnet" || hasArg(prog.Args, "run", "watch", "test", "build") {
				return true
			}
		}
	}
	return false
}

// runsJavaOnly reports whether the program is java running a jar or a
// class, with no JDK tool at run time (javac, jshell, jcmd, jstack,
// Maven, Gradle).
func runsJavaOnly(prog intent.Program) bool {
	if prog.Name != "java" && !prog.Commands["java"] {
		return false
	}
	for _, t := range []string{"javac", "jshell", "jcmd", "jstack", "jmap", "jar", "mvn", "gradle", "mvnw", "gradlew"} {
		if prog.Commands[t] {
			return false
		}
	}
	return true
}

// codenameOf returns the Debian codename in a tag ("lts-buster" gives
// "buster").
func codenameOf(tag string) string {
	for _, part := range strings.Split(tag, "-") {
		if debianCodenames[part] || eolCodenames[part] {
			return part
		}
	}
	return ""
}

// installedRuntime returns advice for the language runtime the final
// image installs with its package manager, or "".
func installedRuntime(p *Pass) string {
	prog := imageOf(p).Program
	for _, rt := range runtimeImages {
		if !runtimeRuns(rt.prefixes[0], prog) {
			continue
		}
		for _, in := range finalInstructions(p.File) {
			if in.Cmd != "run" {
				continue
			}
			for _, op := range opsOf(p, in) {
				if op.Action != shell.ActionInstall || !isSystemManager(op.Manager) {
					continue
				}
				for _, n := range op.PackageNames() {
					for _, pre := range rt.prefixes {
						if n == pre || strings.HasPrefix(n, pre) && (strings.HasSuffix(pre, "-") || n[len(pre)] == '-' || n[len(pre)] == '.' || n[len(pre)] >= '0' && n[len(pre)] <= '9') {
							return rt.advice
						}
					}
				}
			}
		}
	}
	return ""
}

// runtimeRuns reports whether the program is the runtime a package
// installs (python3 for python3, node for nodejs, java for openjdk), so
// that advice to use the language's image fits.
func runtimeRuns(pkg string, prog intent.Program) bool {
	name := prog.Name
	switch pkg {
	case "python3", "python":
		return isPythonName(name) || prog.Commands["gunicorn"] || prog.Commands["uvicorn"]
	case "nodejs", "npm":
		return name == "node" || name == "nodejs" || name == "npm"
	case "openjdk-", "default-jre", "default-jdk", "java-", "temurin-":
		return name == "java"
	case "golang":
		return false
	case "ruby":
		return name == "ruby" || name == "bundle" || name == "rails"
	case "php":
		return strings.HasPrefix(name, "php")
	}
	return false
}

// ubuntuSpecific reports whether the final image installs what only
// Ubuntu provides: a PPA, an apt repository or a .deb built for an
// Ubuntu release.
func ubuntuSpecific(p *Pass) bool {
	for _, in := range finalInstructions(p.File) {
		if in.Cmd != "run" && in.Cmd != "add" && in.Cmd != "copy" {
			continue
		}
		t := strings.ToLower(strings.Join(in.Args, " "))
		for _, w := range []string{"add-apt-repository", "ppa:", ".deb", "sources.list", "apt-key", "/etc/apt/keyrings",
			"xenial", "bionic", "focal", "jammy", "noble", "launchpad"} {
			if strings.Contains(t, w) {
				return true
			}
		}
	}
	return false
}
