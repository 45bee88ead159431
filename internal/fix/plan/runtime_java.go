package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

// Java applications: a JRE replaces the JDK (see runtimePackage) and the
// jar java -jar runs is all that is copied when it can be told. When the
// JDK comes from Debian's or Ubuntu's packages, a stage of its own links a
// Java runtime from the JDK's own modules with jlink instead (in the build
// stage when the stage cannot be added), and the runtime stage copies it:
// the JRE package holds the same modules
// uncompressed, with their debug attributes, and pulls in the libraries
// of a desktop JRE (some 220 MB against 83 MB for OpenJDK 17). The linked
// runtime trusts the CA certificates of the JDK's java.base module rather
// than Debian's store, so a build that adds certificates to the store
// (keytool, update-ca-certificates) keeps the JRE package.

// isJavaCommand reports whether the program base is the Java launcher.
func isJavaCommand(base string) bool { return base == "java" }

// javaJar returns the absolute path of the jar the command runs (java
// -jar X), or "".
func javaJar(b *build) string {
	if jar := jarArg(b.argv); jar != "" {
		return dockerfile.ResolvePath(b.wd, jar)
	}
	return ""
}

// jarArg returns the jar a java command runs (-jar X).
func jarArg(argv []string) string {
	for i, a := range argv {
		if a == "-jar" && i+1 < len(argv) {
			return argv[i+1]
		}
	}
	return ""
}

// javaRuntimeDir is where the build stage links the Java runtime.
const javaRuntimeDir = "/opt/java-runtime"

// jlinkCommand links every module of the JDK into javaRuntimeDir: all of
// them, so that a module the application loads only by reflection or as
// a service provider (TLS ciphers, locales, zip file systems) is there
// as it was with the JDK. Debug attributes, man pages and headers are
// left out and the modules compressed; --strip-java-debug-attributes,
// unlike --strip-debug, needs no objcopy (Debian's native libraries are
// stripped already). -J-XX:TieredStopAtLevel=1 runs jlink's own JVM with
// the quick compiler only: the same runtime, linked in some 12 s instead
// of 15 here.
const jlinkCommand = "jlink -J-XX:TieredStopAtLevel=1 --add-modules ALL-MODULE-PATH --strip-java-debug-attributes --no-man-pages --no-header-files --compress=2 --output " + javaRuntimeDir

// isJDKPackage reports whether n is Debian's or Ubuntu's JDK package.
func isJDKPackage(n string) bool {
	n, _, _ = strings.Cut(n, "=")
	return n == "default-jdk" || n == "default-jdk-headless" ||
		strings.HasPrefix(n, "openjdk-") && (strings.HasSuffix(n, "-jdk") || strings.HasSuffix(n, "-jdk-headless"))
}

// planJlink replaces the JRE package of rt by a runtime linked from the
// JDK (see jlinkCommand), when the stage installs the JDK with apt-get
// and the command is java -jar. The link runs in the javaLinkStage stage,
// beside the build; when the build stage's FROM has flags or the name is
// taken, in the build stage right after the install. Either way it comes
// before the source is copied, so that a source change does not link
// again. It returns the sentence that explains it, "" when it does not
// apply.
func (b *build) planJlink(rt *runtimeStage) string {
	if b.mgr != shell.AptGet || b.argv[0] != "java" || jarArg(b.argv) == "" {
		return ""
	}
	var install *dockerfile.Instruction
	var jdks []string
	for _, in := range b.st.Instructions {
		if in.Cmd != "run" {
			continue
		}
		// The linked runtime trusts the certificates of the JDK's own
		// modules, not the system's store a RUN adds to.
		for _, rs := range b.p.Shell(in) {
			for _, c := range rs.Commands {
				if c.Is("keytool", "update-ca-certificates") {
					return ""
				}
			}
		}
		for _, op := range packageOps(b.p, in) {
			if op.Action != shell.ActionInstall || op.Manager != shell.AptGet && op.Manager != shell.Apt {
				continue
			}
			for _, n := range op.PackageNames() {
				if isJDKPackage(n) {
					install = in
					jdks = append(jdks, n)
				}
			}
		}
	}
	if install == nil {
		return ""
	}
	for _, n := range jdks {
		jre := runtimePackage(n, b.mgr)
		rt.packages = slices.DeleteFunc(rt.packages, func(p string) bool { return p == jre })
	}
	rt.copies = append([]string{javaRuntimeDir}, rt.copies...)
	rt.argv = append([]string{javaRuntimeDir + "/bin/java"}, b.argv[1:]...)
	if len(b.st.From.Flags) == 0 && b.p.File.StageByRef(javaLinkStage, len(b.p.File.Stages)) == nil {
		rt.linkStage = javaLinkStage
		for _, n := range jdks {
			rt.linkPackages = append(rt.linkPackages, headlessJDK(n))
		}
		return fmt.Sprintf("; a stage of its own, %s, installs the headless JDK and links a Java runtime from its modules with jlink into %s (no JRE package), while the build stage builds: the runtime stage copies it and runs it", javaLinkStage, javaRuntimeDir)
	}
	rt.pruneAfter, rt.prune = install, jlinkCommand
	return fmt.Sprintf("; the build stage links a Java runtime from the JDK's modules with jlink into %s (no JRE package), which the runtime stage copies and runs", javaRuntimeDir)
}

// javaLinkStage names the stage that links the Java runtime. It installs
// the JDK again, without its desktop libraries, and BuildKit builds it
// at the same time as the build stage: the link, some 10 to 15 seconds
// on two cores, is then not added to the time of a build without the
// cache, as it would be after the build stage's install.
const javaLinkStage = "java-runtime"

// headlessJDK names the JDK package n without the desktop libraries
// (default-jdk: default-jdk-headless); jlink needs only the modules.
func headlessJDK(n string) string {
	name, version, versioned := strings.Cut(n, "=")
	if !strings.HasSuffix(name, "-headless") {
		name += "-headless"
	}
	if versioned {
		return name + "=" + version
	}
	return name
}
