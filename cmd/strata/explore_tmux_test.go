package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/image/imagetest"
)

// tmuxPath returns tmux, which the explorer's test drives the real
// terminal with. It is required on CI (scripts/test-env.sh installs it).
func tmuxPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tmux")
	if err == nil {
		return p
	}
	if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		t.Fatal("tmux is missing on CI; scripts/test-env.sh install adds it")
	}
	t.Skip("tmux is not installed (apt-get install tmux)")
	return ""
}

// tmuxSession runs a command in a detached tmux session of a fixed size
// on a private server socket, and reads its screen.
type tmuxSession struct {
	t      *testing.T
	tmux   string
	socket string
}

func startTmux(t *testing.T, width, height int, command string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{t: t, tmux: tmuxPath(t), socket: filepath.Join(t.TempDir(), "tmux.sock")}
	s.run("new-session", "-d", "-s", "strata", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), command)
	t.Cleanup(func() { _ = exec.Command(s.tmux, "-S", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxSession) run(args ...string) string {
	s.t.Helper()
	cmd := exec.Command(s.tmux, append([]string{"-S", s.socket}, args...)...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (s *tmuxSession) screen() string { return s.run("capture-pane", "-p", "-t", "strata") }

// keys sends keys one at a time, as a person types them.
func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		s.run("send-keys", "-t", "strata", k)
		time.Sleep(60 * time.Millisecond)
	}
}

// waitFor waits until the screen shows every one of want.
func (s *tmuxSession) waitFor(want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		scr := s.screen()
		ok := true
		for _, w := range want {
			if !strings.Contains(scr, w) {
				ok = false
				break
			}
		}
		if ok {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %q:\n%s", want, scr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestExplorerInTmux(t *testing.T) {
	bin := strataBinary(t)
	p := imagetest.WriteTemp(t, "sample.tar", imagetest.DockerSaveOld(t, imagetest.Sample(t), "sample:1"))
	done := filepath.Join(t.TempDir(), "exit")
	s := startTmux(t, 120, 32, bin+" image -i "+p+"; echo $? > "+done+"; sleep 60")

	s.waitFor("Layers (4)", "Image (layer 4 marked)", "Waste 3.15 MB", "/tmp/dl")
	// Into the tree, open app/: the file layer 4 replaced is marked.
	s.keys("Tab", "Enter")
	scr := s.waitFor("▾ app/")
	if !strings.Contains(scr, "~") || !strings.Contains(scr, " bin") {
		t.Fatalf("app/bin is not marked as modified:\n%s", scr)
	}
	// The waste pane: jump to the layer that made /tmp/dl.
	s.keys("Tab", "Enter")
	scr = s.waitFor("Layer 2 changes", "layer 2: /tmp/dl")
	if !strings.Contains(scr, "▶+") {
		t.Fatalf("the cursor is not on the added file:\n%s", scr)
	}
	// Filter by a pattern, then clear it.
	s.keys("c", "/", "e", "t", "c", "Enter")
	scr = s.waitFor("filter etc", "▾ etc/")
	if strings.Contains(scr, " app/") {
		t.Fatalf("the filter left app/ on the screen:\n%s", scr)
	}
	s.keys("Escape")
	time.Sleep(300 * time.Millisecond) // let Escape stand alone, not as Alt
	s.waitFor(" app/")
	// Help, then any key.
	s.keys("?")
	s.waitFor("filter by path pattern")
	s.keys("z")
	// Resize: the panes follow.
	s.run("resize-window", "-t", "strata", "-x", "80", "-y", "24")
	scr = s.waitFor("Layers (4)")
	for i, line := range strings.Split(strings.TrimRight(scr, "\n"), "\n") {
		if n := len([]rune(strings.TrimRight(line, " "))); n > 80 {
			t.Errorf("line %d is %d cells wide after resizing to 80", i, n)
		}
	}
	// q quits and gives the terminal back: the shell's output shows.
	s.keys("q")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(done); err == nil {
			if code := strings.TrimSpace(string(b)); code != "0" {
				t.Fatalf("strata image -i exited %s after q", code)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("strata did not exit after q:\n%s", s.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if scr := s.screen(); strings.Contains(scr, "Layers (4)") {
		t.Errorf("the explorer's screen stayed after it quit (alternate screen not left):\n%s", scr)
	}
}

func TestExplorerCtrlCInTmux(t *testing.T) {
	bin := strataBinary(t)
	p := imagetest.WriteTemp(t, "sample.tar", imagetest.DockerSaveOld(t, imagetest.Sample(t), "sample:1"))
	done := filepath.Join(t.TempDir(), "exit")
	s := startTmux(t, 100, 30, bin+" image -i "+p+"; echo $? > "+done+"; stty -a | head -2; sleep 60")
	s.waitFor("Layers (4)")
	s.keys("C-c")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(done); err == nil {
			if code := strings.TrimSpace(string(b)); code != "130" {
				t.Fatalf("strata image -i exited %s after Ctrl-C, want 130", code)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("strata did not exit after Ctrl-C:\n%s", s.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The terminal is back in its cooked mode: echo and canonical input.
	scr := s.waitFor("speed")
	if strings.Contains(scr, "-icanon") || strings.Contains(scr, "-echo ") {
		t.Errorf("the terminal was left in raw mode:\n%s", scr)
	}
}
