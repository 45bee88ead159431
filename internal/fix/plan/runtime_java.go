package plan

import "github.com/stratatools/strata/internal/dockerfile"

// Java applications: a JRE replaces the JDK (see runtimePackage) and the
// jar java -jar runs is all that is copied when it can be told.

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
