package rules

import (
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
)

func TestSensitiveName(t *testing.T) {
	for name, want := range map[string]bool{
		"PASSWORD": true, "DB_PASSWORD": true, "db_passwd": true, "GITHUB_TOKEN": true, "NPM_AUTH_TOKEN": true,
		"AWS_SECRET_ACCESS_KEY": true, "AWS_ACCESS_KEY_ID": true, "OPENAI_API_KEY": true, "apikey": true,
		"CLIENT_SECRET": true, "SSH_PRIVATE_KEY": true, "GOOGLE_CREDENTIALS": true, "APP_KEY": true,
		"USERNAME": false, "PASSWORD_FILE": false, "TOKEN_URL": false, "SECRET_NAME": false, "TOKENIZER": false,
		"KEYBOARD": false, "PUBLIC_KEY_PATH": false, "CLIENT_ID": false, "MONKEY": false, "PATH": false,
	} {
		if got := sensitiveName(name); got != want {
			t.Errorf("sensitiveName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestExposePortProblem(t *testing.T) {
	for arg, bad := range map[string]bool{
		"80": false, "0": false, "65535": false, "80/tcp": false, "53/udp": false, "9000-9010": false,
		"9000-9010/udp": false, `"8080"`: false, "$PORT": false, "${PORT}/tcp": false, "127.0.0.1:80:80": false,
		"65536": true, "80000/tcp": true, "9010-9000": true, "1-70000": true, "http": true, "99999999999999999999": true,
	} {
		if got := exposePortProblem(arg) != ""; got != bad {
			t.Errorf("exposePortProblem(%q) = %q", arg, exposePortProblem(arg))
		}
	}
}

func TestRunCommandCount(t *testing.T) {
	for src, want := range map[string]int{
		"FROM a\nRUN echo one\n":                                             1,
		"FROM a\nRUN echo one && echo two\n":                                 2,
		"FROM a\nRUN echo one | tee x\n":                                     2,
		"FROM a\nRUN [\"echo\", \"one\"]\n":                                  1,
		"FROM a\nRUN FOO=bar\n":                                              0,
		"FROM a\nRUN export A=1 && make\n":                                   2,
		"FROM a\nRUN <<EOF\necho a\necho b\nEOF\n":                           2,
		"FROM a\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n":         2,
		"FROM a\nRUN if [ -f x ]; then echo y; fi\n":                         2,
		"FROM a\nRUN echo 'a; b'\n":                                          1,
		"FROM a\nSHELL [\"pwsh\", \"-c\"]\nRUN Write-Host a; Write-Host b\n": 2,
		"FROM a\nSHELL [\"pwsh\", \"-c\"]\nRUN Write-Host 'a; b'\n":          1,
	} {
		f, err := dockerfile.Parse("Dockerfile", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		in := f.Instructions[len(f.Instructions)-1]
		if got := runCommandCount(in); got != want {
			t.Errorf("runCommandCount(%q) = %d, want %d", src, got, want)
		}
	}
}

func TestRegistryTrusted(t *testing.T) {
	cases := []struct {
		reg     string
		trusted []string
		want    bool
	}{
		{"", []string{"docker.io"}, true},
		{"", []string{"Docker.IO"}, true},
		{"", []string{"quay.io"}, false},
		{"quay.io", []string{"quay.io"}, true},
		{"a.example.com", []string{"*.example.com"}, true},
		{"example.com", []string{"*.example.com"}, false},
		{"evilexample.com", []string{"*.example.com"}, false},
		{"anything", []string{"*"}, true},
	}
	for _, c := range cases {
		if got := registryTrusted(c.reg, c.trusted); got != c.want {
			t.Errorf("registryTrusted(%q, %v) = %v", c.reg, c.trusted, got)
		}
	}
}
