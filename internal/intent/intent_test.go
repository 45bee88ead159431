package intent

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
)

// analyze writes a Dockerfile and its context files to a temporary
// directory and analyses it.
func analyze(t *testing.T, src string, files map[string]string) *Image {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := dockerfile.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return Analyze(Input{File: f, ContextDir: dir})
}

func TestProgram(t *testing.T) {
	cases := []struct {
		name      string
		src       string
		files     map[string]string
		program   string
		init      string
		stepsDown string
		rootOps   string
		unknown   string
		entry     string
		inter     bool
	}{
		{name: "pass-through entrypoint runs CMD",
			src:   "FROM php:8.3-fpm\nCOPY entry.sh /usr/local/bin/\nENTRYPOINT [\"entry.sh\"]\nCMD [\"php-fpm\"]\n",
			files: map[string]string{"entry.sh": "#!/bin/sh\nset -e\nexec \"$@\"\n"}, program: "php-fpm"},
		{name: "sh -c runs what it execs",
			src: "FROM debian:bookworm-slim\nCMD [\"sh\", \"-c\", \"ulimit -n 4096 && exec /srv/app --port 8080\"]\n", program: "app"},
		{name: "tini is an init wrapper",
			src: "FROM node:22-slim\nENTRYPOINT [\"/usr/bin/tini\", \"--\"]\nCMD [\"node\", \"server.js\"]\n", program: "node", init: "tini", entry: "server.js"},
		{name: "gosu re-exec in the entrypoint",
			src:     "FROM debian:bookworm-slim\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"svc\"]\n",
			files:   map[string]string{"docker-entrypoint.sh": "#!/bin/sh\nif [ \"$(id -u)\" = 0 ]; then\n  chown -R svc /data\n  exec gosu svc \"$0\" \"$@\"\nfi\nexec \"$@\"\n"},
			program: "svc", stepsDown: "gosu svc in docker-entrypoint.sh"},
		{name: "su with the user after its options",
			src:     "FROM debian:bookworm-slim\nCOPY start.sh /start.sh\nENTRYPOINT [\"/start.sh\"]\n",
			files:   map[string]string{"start.sh": "#!/bin/sh\nsu -p proxy -s /bin/sh -c 'exec proxyd'\n"},
			program: "proxyd", stepsDown: "su proxy in start.sh"},
		{name: "daemon user flag",
			src:     "FROM debian:bookworm-slim\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n",
			files:   map[string]string{"start.sh": "#!/bin/bash\nset -e\ndpkg-reconfigure -f noninteractive slapd\nexec /usr/sbin/slapd -h ldap:/// -u openldap -g openldap -d 0\n"},
			program: "slapd", stepsDown: "slapd -u openldap", rootOps: "dpkg-reconfigure"},
		{name: "root operations before the program",
			src:     "FROM debian:bookworm-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"tool\"]\n",
			files:   map[string]string{"entrypoint.sh": "#!/bin/sh\nmount -t debugfs none /sys/kernel/debug\nexec \"$@\"\n"},
			program: "tool", rootOps: "mount"},
		{name: "entrypoint script not in the context",
			src: "FROM debian:bookworm-slim\nENTRYPOINT [\"/opt/app/bin/start.sh\"]\n", program: "start.sh", unknown: "/opt/app/bin/start.sh"},
		{name: "binary named .sh built in a stage is not a script",
			src:     "FROM golang:1.23 AS b\nRUN go build -o /usr/bin/transfer.sh .\nFROM alpine:3.20\nCOPY --from=b /usr/bin/transfer.sh /usr/bin/transfer.sh\nENTRYPOINT [\"transfer.sh\"]\n",
			program: "transfer.sh"},
		{name: "REPL", src: "FROM debian:bookworm-slim\nCMD [\"python3\"]\n", program: "python3", inter: true},
		{name: "php -a is a REPL", src: "FROM php:8.3-cli\nCMD [\"php\", \"-a\"]\n", program: "php", inter: true},
		{name: "sleep infinity idles", src: "FROM debian:bookworm-slim\nCMD [\"sleep\", \"infinity\"]\n", program: "sleep", inter: true},
		{name: "shell form", src: "FROM python:3.12-slim\nCMD python3 app.py\n", program: "python3", entry: "app.py"},
		{name: "distroless node runs CMD with node",
			src: "FROM gcr.io/distroless/nodejs22-debian12\nCMD [\"index.js\"]\n", program: "node", entry: "index.js"},
		{name: "options for an unknown base entrypoint", src: "FROM example.com/runner:1\nCMD [\"--port\", \"80\"]\n", program: ""},
		{name: "java launcher", src: "FROM eclipse-temurin:21-jre\nCMD [\"zkServer.sh\", \"start-foreground\"]\n", program: "zkServer.sh"},
		{name: "base image's step-down entrypoint",
			src: "FROM redis:7.2\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"redis-server\"]\n", program: "redis-server", stepsDown: "the redis image's docker-entrypoint.sh"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := analyze(t, c.src, c.files)
			p := img.Program
			if p.Name != c.program || p.Init != c.init || p.StepsDown != c.stepsDown || strings.Join(p.RootOps, ",") != c.rootOps ||
				p.Unknown != c.unknown || p.EntryFile != c.entry || p.Interactive != c.inter {
				t.Errorf("got name=%q init=%q stepsDown=%q rootOps=%v unknown=%q entry=%q interactive=%v",
					p.Name, p.Init, p.StepsDown, p.RootOps, p.Unknown, p.EntryFile, p.Interactive)
			}
		})
	}
}

func TestRoles(t *testing.T) {
	cases := []struct {
		name  string
		src   string
		files map[string]string
		want  Role
	}{
		{name: "application", src: "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app:app\"]\n", want: 0},
		{name: "no command: base", src: "FROM debian:bookworm-slim\nRUN echo\n", want: RoleBase},
		{name: "ONBUILD: base", src: "FROM node:22\nONBUILD COPY . /app\nCMD [\"node\", \"server.js\"]\n", want: RoleBase},
		{name: "generated official image with a REPL",
			src:  "#\n# NOTE: THIS DOCKERFILE IS GENERATED VIA \"apply-templates.sh\"\n#\nFROM debian:bookworm-slim\nCMD [\"python3\"]\n",
			want: RoleBase | RoleInteractive},
		{name: "toolchain without a command", src: "FROM golang:1.23-alpine\nRUN go install example.com/gen@v1\n", want: RoleBase | RoleToolchain},
		{name: "devcontainer.json beside it", src: "FROM debian:bookworm-slim\nCMD [\"sleep\", \"infinity\"]\n",
			files: map[string]string{"devcontainer.json": "{}"}, want: RoleDevcontainer | RoleInteractive},
		{name: "dev-envs stage",
			src:  "FROM python:3.12 AS builder\nCMD [\"python3\", \"app.py\"]\nFROM builder AS dev-envs\nRUN useradd -m vscode\n",
			want: RoleDevcontainer},
		{name: "container action", src: "FROM alpine:3.20\nCOPY a.sh /a.sh\nENTRYPOINT [\"/a.sh\"]\n",
			files: map[string]string{"a.sh": "#!/bin/sh\necho hi\n", "action.yml": "runs:\n  using: 'docker'\n  image: Dockerfile\n"}, want: RoleCIAction},
		{name: "artifact export",
			src:  "FROM alpine:3.20 AS b\nRUN touch /app.apk\nFROM scratch\nCOPY --from=b /app.apk /app.apk\nENTRYPOINT [\"/app.apk\"]\n",
			want: RoleArtifact},
		{name: "wasm module", src: "FROM scratch\nCOPY app.wasm /app.wasm\nENTRYPOINT [\"/app.wasm\"]\n",
			files: map[string]string{"app.wasm": "\x00asm"}, want: RoleWasm | RoleArtifact},
		{name: "template", src: "FROM debian:{{ .version }}\nCMD [\"app\"]\n", want: RoleTemplate},
		{name: "test runner", src: "FROM python:3.12-slim\nCMD [\"pytest\", \"-q\"]\n", want: RoleTestRunner},
		{name: "windows", src: "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCMD [\"app.exe\"]\n", want: RoleWindows},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := analyze(t, c.src, c.files)
			if img.Roles != c.want {
				t.Errorf("roles %q, want %q", img.Roles, c.want)
			}
		})
	}
}

func TestProbes(t *testing.T) {
	cases := []struct {
		name, src, want string
		exact           bool
	}{
		{name: "redis speaks RESP", src: "FROM redis:7.2\nEXPOSE 6379\nCMD [\"redis-server\"]\n",
			want: `redis-cli -h 127.0.0.1 -p 6379 ping`, exact: true},
		{name: "postgres", src: "FROM postgres:16\nEXPOSE 5432\nCMD [\"postgres\"]\n", want: "pg_isready", exact: true},
		{name: "php-fpm speaks FastCGI", src: "FROM php:8.3-fpm\nEXPOSE 9000\nCMD [\"php-fpm\"]\n", want: "FastCGI"},
		{name: "gRPC with the probe copied in",
			src:  "FROM golang:1.23 AS p\nRUN go install github.com/grpc-ecosystem/grpc-health-probe@v0.4.28\nFROM gcr.io/distroless/static-debian12\nCOPY --from=p /go/bin/grpc-health-probe /bin/grpc_health_probe\nEXPOSE 50051\nENTRYPOINT [\"/server\"]\n",
			want: `["/bin/grpc_health_probe", "-addr=localhost:50051"]`, exact: true},
		{name: "minio's health path with curl copied in",
			src:  "FROM alpine:3.20 AS b\nRUN touch /curl\nFROM registry.access.redhat.com/ubi9/ubi-micro\nCOPY --from=b /go/bin/curl* /usr/bin/\nEXPOSE 9000\nCMD [\"minio\", \"server\", \"/data\"]\n",
			want: "curl -fsS http://localhost:9000/minio/health/live", exact: true},
		{name: "busybox wget on alpine", src: "FROM python:3.12-alpine\nEXPOSE 8000\nCMD [\"gunicorn\", \"-b\", \":8000\", \"app:app\"]\n",
			want: "wget -q --spider http://localhost:8000/", exact: true},
		{name: "python urllib on slim", src: "FROM python:3.12-slim\nEXPOSE 8000\nCMD [\"gunicorn\", \"-b\", \":8000\", \"app:app\"]\n",
			want: "urllib.request.urlopen('http://localhost:8000/'", exact: true},
		{name: "ssh: a TCP check", src: "FROM alpine:3.20\nEXPOSE 22\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n",
			want: "nc -z 127.0.0.1 22", exact: true},
		{name: "udp skipped", src: "FROM alpine:3.20\nEXPOSE 3478/udp 8080\nCMD [\"app\"]\n", want: "http://localhost:8080/", exact: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := analyze(t, c.src, nil)
			pt, ok := img.MainPort()
			if !ok {
				t.Fatal("no port")
			}
			probe, exact := img.Probe(pt)
			if !strings.Contains(probe, c.want) || exact != c.exact {
				t.Errorf("probe %q (exact %v), want it to hold %q (exact %v)", probe, exact, c.want, c.exact)
			}
			if strings.Contains(probe, "http://") && !img.ProtocolOf(pt).HTTP() {
				t.Errorf("HTTP probe for %s", img.ProtocolOf(pt).Name)
			}
		})
	}
}

func TestPortVariable(t *testing.T) {
	img := analyze(t, "FROM alpine:3.20\nARG PORT\nEXPOSE ${PORT}\nCMD [\"app\"]\n", nil)
	pt, ok := img.MainPort()
	if !ok || pt.Number != 0 || pt.Raw != "${PORT}" {
		t.Fatalf("port %+v %v", pt, ok)
	}
	img = analyze(t, "FROM alpine:3.20\nARG PORT=7070\nEXPOSE ${PORT}\nCMD [\"app\"]\n", nil)
	if pt, _ := img.MainPort(); pt.Number != 7070 {
		t.Fatalf("port %+v, want 7070 from the ARG default", pt)
	}
}

func TestTools(t *testing.T) {
	img := analyze(t, "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl procps && rm -rf /var/lib/apt/lists/*\n"+
		"RUN set -eux; savedAptMark=\"$(apt-mark showmanual)\"; apt-get update; apt-get install -y gcc make; make; apt-mark auto '.*' > /dev/null; apt-mark manual $savedAptMark; apt-get purge -y --auto-remove\n"+
		"CMD [\"app\"]\n", nil)
	for _, c := range []string{"curl", "pgrep", "useradd"} {
		if !img.Tools.Have(c) {
			t.Errorf("image should have %s", c)
		}
	}
	for _, c := range []string{"gcc", "make"} {
		if img.Tools.Installed[c] {
			t.Errorf("%s is purged in its own RUN", c)
		}
	}
}

func TestContextFromParent(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "docker"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "docker", "start.sh"), []byte("#!/bin/sh\nexec /app \"$@\"\n"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "Cargo.toml"), []byte("[package]\n"), 0o644))
	src := "FROM debian:bookworm-slim\nCOPY Cargo.toml /src/\nCOPY docker/start.sh /start.sh\nCMD [\"/start.sh\"]\n"
	path := filepath.Join(dir, "docker", "Dockerfile")
	must(os.WriteFile(path, []byte(src), 0o644))
	f, err := dockerfile.ParseFile(path)
	must(err)
	img := Analyze(Input{File: f, ContextDir: filepath.Join(dir, "docker")})
	if img.ContextDir != dir || !img.ContextConfident || img.Program.Name != "app" {
		t.Fatalf("context %s (confident %v), program %q: want the repository root and app", img.ContextDir, img.ContextConfident, img.Program.Name)
	}
}

func TestCompose(t *testing.T) {
	img := analyze(t, "FROM python:3.12-slim\nEXPOSE 5000\nCMD [\"flask\", \"run\"]\n", map[string]string{
		"compose.yaml": "services:\n  web:\n    build: .\n    init: true\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:5000/\"]\n  db:\n    image: postgres\n",
	})
	cs := img.Compose()
	if len(cs) != 1 || cs[0].Name != "web" || !cs[0].HealthcheckSet || !cs[0].Init || !strings.Contains(cs[0].Healthcheck, "curl") {
		t.Fatalf("compose services %+v", cs)
	}
	for image, want := range map[string]bool{"ghcr.io/acme/shop:latest": true, "shop": true, "postgres:16": false, "ghcr.io/acme/shopfront": false} {
		if got := publishedHere(image, "/src/acme__shop"); got != want {
			t.Errorf("publishedHere(%s) = %v", image, got)
		}
	}
}

// TestComposeFilesShared checks that the Compose files a run shares are
// read once: two Dockerfiles built by one Compose file above their
// contexts each get their own service from one parse, and the file is
// not read again (it is taken not to change during a run), while nil
// reads it every time. Run with -race: the files of a run are analysed
// at once.
func TestComposeFilesShared(t *testing.T) {
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	root := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		must(os.MkdirAll(filepath.Dir(p), 0o755))
		must(os.WriteFile(p, []byte(content), 0o644))
	}
	write("compose.yaml", "services:\n  api:\n    build: ./api\n    init: true\n  web:\n    build:\n      context: ./web\n")
	src := "FROM node:22-slim\nCMD [\"node\", \"server.js\"]\n"
	write("api/Dockerfile", src)
	write("web/Dockerfile", src)
	analyzeIn := func(dir string, cf *ComposeFiles) []ComposeService {
		f, err := dockerfile.Parse(filepath.Join(root, dir, "Dockerfile"), []byte(src))
		must(err)
		return Analyze(Input{File: f, ContextDir: filepath.Join(root, dir), Compose: cf}).Compose()
	}
	shared := &ComposeFiles{}
	var wg sync.WaitGroup
	got := map[string][]ComposeService{}
	var mu sync.Mutex
	for _, dir := range []string{"api", "web", "api", "web"} {
		wg.Go(func() {
			cs := analyzeIn(dir, shared)
			mu.Lock()
			got[dir] = cs
			mu.Unlock()
		})
	}
	wg.Wait()
	if cs := got["api"]; len(cs) != 1 || cs[0].Name != "api" || !cs[0].Init {
		t.Errorf("api: services %+v, want api with init", cs)
	}
	if cs := got["web"]; len(cs) != 1 || cs[0].Name != "web" || cs[0].Init {
		t.Errorf("web: services %+v, want web", cs)
	}
	// Changed on disk: the run's reading stands, a fresh one sees it.
	write("compose.yaml", "services:\n  other:\n    build: ./api\n")
	if cs := analyzeIn("api", shared); len(cs) != 1 || cs[0].Name != "api" {
		t.Errorf("shared, after a change: %+v, want the run's reading (api)", cs)
	}
	if cs := analyzeIn("api", nil); len(cs) != 1 || cs[0].Name != "other" {
		t.Errorf("nil, after a change: %+v, want the file as it is now (other)", cs)
	}
}

// TestTables checks a few rows of each table.
func TestTables(t *testing.T) {
	for _, n := range []string{"nginx", "php-fpm8.2", "apache2-foreground", "supervisord", "sshd"} {
		if !isPrivilegeDropper(n) {
			t.Errorf("%s should drop privileges", n)
		}
	}
	for _, n := range []string{"gunicorn", "node", "java"} {
		if isPrivilegeDropper(n) {
			t.Errorf("%s does not drop privileges", n)
		}
	}
	for _, n := range []string{"python3.12", "php", "bash", "irb"} {
		if !isREPLName(n) {
			t.Errorf("%s is a REPL", n)
		}
	}
	for _, n := range []string{"masscan", "tcpdump", "execsnoop-bpfcc", "qemu-system-x86_64"} {
		if !NeedsRoot(n) {
			t.Errorf("%s needs root", n)
		}
	}
	for ref, want := range map[string]bool{"grafana/k6:0.52": true, "prom/prometheus": true, "quay.io/prometheus/busybox:latest": false,
		"cgr.dev/chainguard/nginx": true, "debian:bookworm": false} {
		if got := NonRootBase(dockerfile.ParseImageRef(ref)); got != want {
			t.Errorf("NonRootBase(%s) = %v", ref, got)
		}
	}
	for ref, want := range map[string]bool{"redis:7": true, "php:8.3-apache": true, "php:8.3-cli": false, "minio/minio": false} {
		if got := StepDownBase(dockerfile.ParseImageRef(ref)); got != want {
			t.Errorf("StepDownBase(%s) = %v", ref, got)
		}
	}
	if got := RunsItself("aws"); len(got) == 0 || got[0] != "less" {
		t.Errorf("aws runs %v", got)
	}
	if c := commandsOf("procps"); len(c) == 0 || c[0] != "ps" {
		t.Errorf("procps provides %v", c)
	}
	if pr := portProtocols[5432]; pr != "postgres" {
		t.Errorf("5432 speaks %s", pr)
	}
}
