package intent

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
)

// FuzzAnalyze feeds Analyze arbitrary Dockerfiles and entrypoint scripts:
// it must never panic or hang. Run with
// go test ./internal/intent -run '^$' -fuzz FuzzAnalyze -fuzztime 1m.
func FuzzAnalyze(f *testing.F) {
	f.Add("FROM debian:bookworm-slim\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"svc\"]\nEXPOSE 8080\n",
		"#!/bin/sh\nif [ \"$(id -u)\" = 0 ]; then exec gosu svc \"$0\" \"$@\"; fi\nexec \"$@\"\n")
	f.Add("FROM alpine\nCMD [\"sh\", \"-c\", \"exec su -p app -s /bin/sh -c 'exec app'\"]\nEXPOSE ${PORT}/udp\n", "")
	f.Add("FROM scratch\nCOPY a.apk /a.apk\nENTRYPOINT [\"/a.apk\"]\n", "exec exec exec \"$@\"")
	f.Add("FROM x\nONBUILD RUN true\nCMD [\"-x\"]\n", "#!/usr/bin/env python3\nprint(1)\n")
	f.Fuzz(func(t *testing.T, src, script string) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "entry.sh"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services:\n  a:\n    build: .\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		file, err := dockerfile.Parse(filepath.Join(dir, "Dockerfile"), []byte(src))
		if err != nil {
			return
		}
		img := Analyze(Input{File: file, ContextDir: dir})
		_ = img.Roles.String()
		for _, pt := range img.Ports {
			img.ProtocolOf(pt)
			img.Probe(pt)
		}
		img.MainPort()
		img.Compose()
		img.EntryText()
	})
}
