package shell

import "testing"

func TestBaseName(t *testing.T) {
	for in, want := range map[string]string{
		"apt-get":            "apt-get",
		"/usr/bin/apt-get":   "apt-get",
		`C:\tools\choco.exe`: "choco.exe",
		"./build.sh":         "build.sh",
		"/usr/local/bin/":    "bin",
		`dir\sub\`:           "sub",
		"/":                  "/",
		"":                   "",
		"a/b\\c":             "c",
	} {
		if got := baseName(in); got != want {
			t.Errorf("baseName(%q) = %q, want %q", in, got, want)
		}
	}
}
