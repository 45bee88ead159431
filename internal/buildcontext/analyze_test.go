package buildcontext

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/buildplan"
	"github.com/stratatools/strata/internal/dockerignore"
	"github.com/stratatools/strata/internal/vocab"
)

func analyze(t *testing.T, dir, dockerfile string) *Report {
	t.Helper()
	df := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(df, []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := buildplan.Convert(context.Background(), df, nil, buildplan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Analyze(context.Background(), Request{Dir: dir, Dockerfile: df, Plan: p})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func junkAt(r *Report, p string) *Junk {
	for i := range r.Junk {
		if r.Junk[i].Path == p {
			return &r.Junk[i]
		}
	}
	return nil
}

// A COPY . sends everything that passes .dockerignore: junk and secrets
// go into the image, and the suggestion leaves them out but keeps what an
// instruction names.
func TestAnalyzeWholeContext(t *testing.T) {
	dir := writeTree(t, map[string]string{
		".dockerignore":           "*.tmp\n",
		"requirements.txt":        "flask\n",
		"app/main.py":             "print(1)\n",
		"app/__pycache__/m.pyc":   "xx",
		".git/HEAD":               "ref: refs/heads/main\n",
		".git/objects/ab/cdef":    strings.Repeat("g", 5000),
		"node_modules/x/index.js": strings.Repeat("n", 3000),
		"dist/bundle.js":          "bundle",
		".env":                    "PASSWORD=hunter2\n",
		"certs/server.pem":        "-----BEGIN CERTIFICATE-----\nabc\n",
		"debug.log":               "log",
		"scratch.tmp":             "excluded",
	})
	r := analyze(t, dir, "FROM busybox\nCOPY requirements.txt /app/\nCOPY . /app/\n")
	if r.Sent != r.Passed || r.Sent.Files == 0 {
		t.Errorf("COPY . sends everything that passes: sent %+v, passed %+v", r.Sent, r.Passed)
	}
	if r.FollowPaths != nil || len(r.WholeContext) != 1 || r.WholeContext[0].Line != 3 {
		t.Errorf("whole context %+v, follow paths %q", r.WholeContext, r.FollowPaths)
	}
	for p, cat := range map[string]string{".git": JunkVCS, "node_modules": JunkDeps, "app/__pycache__": JunkBytecode, "dist": JunkOutput, "debug.log": JunkLogs} {
		j := junkAt(r, p)
		if j == nil || j.Category != cat || !j.Sent {
			t.Errorf("junk %s: %+v, want category %q, sent", p, j, cat)
		}
	}
	if j := junkAt(r, ".git"); j.Bytes != 5000+21 || j.Files != 2 {
		t.Errorf(".git counted %d bytes in %d files", j.Bytes, j.Files)
	}
	if len(r.Secrets) != 1 || r.Secrets[0].Path != ".env" || r.Secrets[0].Named {
		t.Errorf("secrets %+v, want .env only (a certificate is no secret)", r.Secrets)
	}
	s := r.Suggestion
	if s == nil {
		t.Fatal("no suggestion")
	}
	for _, want := range []string{".git\n", "node_modules\n", "app/__pycache__\n", "debug.log\n", ".env\n", "Dockerfile\n", "*.tmp\n"} {
		if !strings.Contains(s.Content, want) {
			t.Errorf("suggestion lacks %q:\n%s", want, s.Content)
		}
	}
	if strings.Contains(s.Content, "\ndist\n") || junkAt(r, "dist").Kept == "" {
		t.Errorf("build output that COPY . takes is left out: %q", s.Content)
	}
	if strings.Contains(s.Content, "requirements.txt") {
		t.Errorf("a file an instruction names is left out:\n%s", s.Content)
	}
	if !strings.HasPrefix(s.Diff, "--- "+filepath.Join(dir, ".dockerignore")) || !strings.Contains(s.Diff, "+.git") {
		t.Errorf("diff:\n%s", s.Diff)
	}
	if s.Saves.Bytes < 8000 || s.SavesSent != s.Saves {
		t.Errorf("saves %+v, sent %+v", s.Saves, s.SavesSent)
	}
	// The suggestion is a valid ignore file that drops what it says.
	m, err := dockerignore.Parse("x", []byte(s.Content))
	if err != nil {
		t.Fatal(err)
	}
	if ex, _ := m.Excluded(".git/HEAD", false); !ex {
		t.Error("suggested file keeps .git")
	}
	if ex, _ := m.Excluded("requirements.txt", false); ex {
		t.Error("suggested file drops requirements.txt")
	}
}

// Without COPY . BuildKit asks only for the paths the instructions name;
// the rest passes .dockerignore but is unused.
func TestAnalyzeNamedPaths(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"src/app.py":          "x",
		"src/util/u.py":       "yy",
		"docs/manual.md":      strings.Repeat("d", 1000),
		"data/big.csv":        strings.Repeat("c", 5000),
		"conf/a.conf":         "a",
		"conf/b.ini":          "b",
		"notes.txt":           "n",
		"tools/sub/run.sh":    "r",
		"tools/sub/other.txt": "o",
	})
	r := analyze(t, dir, "FROM busybox\nCOPY src/ /app/\nCOPY conf/*.conf /etc/\nRUN --mount=type=bind,source=tools/sub,target=/t ls /t\nCOPY missing.txt /x\n")
	if r.FollowPaths == nil {
		t.Fatal("no follow paths")
	}
	if r.Sent.Files != 5 || r.Sent.Bytes != 1+2+1+1+1 {
		t.Errorf("sent %+v, want src (2 files), conf/a.conf, tools/sub (2 files)", r.Sent)
	}
	byPath := map[string]ReadUse{}
	for _, u := range r.Reads {
		byPath[u.Path] = u
	}
	if u := byPath["src"]; u.Files != 2 || u.Line != 2 {
		t.Errorf("src read %+v", u)
	}
	if u := byPath["conf/*.conf"]; u.Files != 1 {
		t.Errorf("conf/*.conf read %+v", u)
	}
	if u := byPath["tools/sub"]; !u.Mount || u.Files != 2 {
		t.Errorf("bind mount read %+v", u)
	}
	if u := byPath["missing.txt"]; !u.Missing {
		t.Errorf("missing read %+v", u)
	}
	if r.Unused.Bytes != 1000+5000+1+1+int64(len("FROM busybox\nCOPY src/ /app/\nCOPY conf/*.conf /etc/\nRUN --mount=type=bind,source=tools/sub,target=/t ls /t\nCOPY missing.txt /x\n")) {
		t.Errorf("unused %+v", r.Unused)
	}
	if len(r.UnusedPaths) < 2 || r.UnusedPaths[0].Path != "data" || r.UnusedPaths[1].Path != "docs" {
		t.Errorf("unused paths %+v", r.UnusedPaths)
	}
	s := r.Suggestion
	if s == nil || !strings.Contains(s.Content, "\ndata\n") || !strings.Contains(s.Content, "\nnotes.txt\n") {
		t.Fatalf("suggestion %+v", s)
	}
	for _, keep := range []string{"src", "conf", "tools"} {
		if strings.Contains(s.Content, "\n"+keep+"\n") {
			t.Errorf("suggestion leaves out %s, which an instruction reads", keep)
		}
	}
	if s.SavesSent.Bytes != 0 {
		t.Errorf("leaving out unread paths changes what BuildKit sends: %+v", s.SavesSent)
	}
}

func TestAnalyzeBadInput(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.txt": "a", "Dockerfile": "FROM busybox\n"})
	df := filepath.Join(dir, "Dockerfile")
	outside := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(outside, []byte("FROM busybox\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := writeTree(t, map[string]string{"Dockerfile": "FROM busybox\n", ".dockerignore": "ok\n\n[z-a\n"})
	for _, c := range []struct {
		name string
		req  Request
		want string
	}{
		{"not a directory", Request{Dir: filepath.Join(dir, "a.txt"), Dockerfile: df}, "is not a directory"},
		{"missing", Request{Dir: filepath.Join(dir, "nope"), Dockerfile: df}, "no such file"},
		{"Dockerfile outside", Request{Dir: dir, Dockerfile: outside}, "outside the build context"},
		{"invalid pattern", Request{Dir: bad, Dockerfile: filepath.Join(bad, "Dockerfile")}, "line 3"},
	} {
		_, err := Analyze(context.Background(), c.req)
		if !vocab.IsInput(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an input error with %q", c.name, err, c.want)
		}
	}
}

// An unreadable directory is reported and the walk goes on; a link that
// points out of the context is never followed, even when its name says
// secret.
func TestAnalyzeUnreadableAndLinks(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Log("running as root: directory permissions do not stop reading; the unreadable part is skipped")
	}
	outside := filepath.Join(t.TempDir(), "secret.key")
	if err := os.WriteFile(outside, []byte("-----BEGIN PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := writeTree(t, map[string]string{"a.txt": "a", "locked/x": "x", "id.key": "->" + outside, "b.txt": "bb"})
	if os.Geteuid() != 0 {
		if err := os.Chmod(filepath.Join(dir, "locked"), 0); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(filepath.Join(dir, "locked"), 0o755)
	}
	r := analyze(t, dir, "FROM busybox\nCOPY . /x\n")
	if os.Geteuid() != 0 && (len(r.Problems) != 1 || r.Problems[0].Path != "locked") {
		t.Errorf("problems %+v, want locked", r.Problems)
	}
	if r.Passed.Files < 3 {
		t.Errorf("the walk stopped: %+v", r.Passed)
	}
	if len(r.Secrets) != 1 || r.Secrets[0].Path != "id.key" {
		t.Errorf("secrets %+v: the link is judged by its name", r.Secrets)
	}
	for _, f := range r.LargestFiles {
		if f.Path == "id.key" && f.Bytes != int64(len(outside)) {
			t.Errorf("the link was followed: %+v", f)
		}
	}
}
