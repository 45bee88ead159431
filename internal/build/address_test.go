package build

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/vocab"
)

func TestCheckAddress(t *testing.T) {
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := []struct {
		addr string
		tls  TLSFiles
	}{
		{"unix:///run/buildkit/buildkitd.sock", TLSFiles{}},
		{"tcp://127.0.0.1:1234", TLSFiles{}},
		{"tcp://buildkitd.example:1234", TLSFiles{CACert: ca, Cert: ca, Key: ca, ServerName: "buildkitd"}},
		{"docker-container://buildx_buildkit_builder0", TLSFiles{}},
		{"docker-container://buildx_buildkit_builder0?context=remote", TLSFiles{}},
		{"kube-pod://buildkitd-0", TLSFiles{}},
		{"kube-pod://buildkitd-0?namespace=ci&container=buildkitd", TLSFiles{}},
	}
	for _, c := range ok {
		if err := CheckAddress(c.addr, c.tls); err != nil {
			t.Errorf("%s: %v", c.addr, err)
		}
	}
	bad := []struct {
		addr string
		tls  TLSFiles
		want string
	}{
		{"unix://", TLSFiles{}, "no socket path"},
		{"tcp://host", TLSFiles{}, "want tcp://HOST:PORT"},
		{"tcp://:1234", TLSFiles{}, "want tcp://HOST:PORT"},
		{"docker-container://", TLSFiles{}, "no container name"},
		{"kube-pod://", TLSFiles{}, "lacks pod name"},
		{"kube-pod://Pod_0", TLSFiles{}, "unsupported pod name"},
		{"kube-pod://p?namespace=Bad_NS", TLSFiles{}, "unsupported namespace"},
		{"ssh://host", TLSFiles{}, `unknown scheme "ssh"`},
		{"http://host:80", TLSFiles{}, "unknown scheme"},
		{"unix:///s.sock", TLSFiles{CACert: ca}, "tcp:// addresses only"},
		{"tcp://h:1", TLSFiles{Cert: ca}, "give both or neither"},
		{"tcp://h:1", TLSFiles{CACert: filepath.Join(dir, "missing.pem")}, "--tls-cacert"},
	}
	for _, c := range bad {
		err := CheckAddress(c.addr, c.tls)
		if err == nil || !vocab.IsInput(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %+v: %v, want an input error saying %q", c.addr, c.tls, err, c.want)
		}
	}
}

func TestRedactAddress(t *testing.T) {
	if got := redactAddress("tcp://user:secret@host:1234"); strings.Contains(got, "secret") || strings.Contains(got, "user") {
		t.Errorf("redacted to %q", got)
	}
	if got := redactAddress("unix:///a.sock"); got != "unix:///a.sock" {
		t.Errorf("redacted to %q", got)
	}
}

func TestFrontendAttrs(t *testing.T) {
	v := "1.2"
	attrs, ents, err := frontendAttrs(Spec{
		Dockerfile: "/ctx/docker/app.Dockerfile", Target: "final", NoCache: true, Platform: "linux/arm64",
		BuildArgs: map[string]*string{"VERSION": &v, "UNSET": nil}, Network: "host",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"filename": "app.Dockerfile", "target": "final", "no-cache": "", "platform": "linux/arm64",
		"build-arg:VERSION": "1.2", "force-network-mode": "host",
	}
	if !reflect.DeepEqual(attrs, want) || !reflect.DeepEqual(ents, []string{"network.host"}) {
		t.Errorf("attrs %v, entitlements %v", attrs, ents)
	}
	for _, n := range []string{"", "default"} {
		attrs, ents, err := frontendAttrs(Spec{Dockerfile: "Dockerfile", Network: n})
		if err != nil || attrs["force-network-mode"] != "" || len(ents) != 0 {
			t.Errorf("network %q: %v %v %v", n, attrs, ents, err)
		}
	}
	if _, _, err := frontendAttrs(Spec{Dockerfile: "Dockerfile", Network: "bridge"}); err == nil || !vocab.IsInput(err) {
		t.Errorf("network bridge: %v", err)
	}
}

func TestLoopbackRegistry(t *testing.T) {
	for ref, want := range map[string]bool{
		"127.0.0.1:5000/a/b:1": true, "localhost:5000/x": true, "[::1]:5000/x:1": true,
		"registry.example:5000/x": false, "10.0.0.1:5000/x": false, "docker.io/library/x": false,
	} {
		if got := loopbackRegistry(ref); got != want {
			t.Errorf("%s: %v, want %v", ref, got, want)
		}
	}
}

func TestCheckPushTarget(t *testing.T) {
	for _, ok := range []string{"127.0.0.1:5000", "reg.example/team", "reg.example:5000/team/sub/"} {
		if err := checkPushTarget(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"https://reg.example", "reg.example/Team", "reg@sha256:00"} {
		if err := checkPushTarget(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
