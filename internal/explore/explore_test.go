package explore

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagebench/benchimage"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source/archive"
)

var ansiRE = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// screen is the model's view without colours.
func screen(m *Model) string { return ansiRE.ReplaceAllString(m.View(), "") }

func analyze(t testing.TB, path string) *image.Result {
	t.Helper()
	r, err := image.Analyze(context.Background(), archive.New(path, archive.Options{}), image.Options{Changes: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func sample(t *testing.T) *image.Result {
	return analyze(t, imagetest.WriteTemp(t, "img.tar", imagetest.DockerSaveOld(t, imagetest.Sample(t), "sample:1")))
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		var msg tea.KeyMsg
		switch k {
		case "tab":
			msg = tea.KeyMsg{Type: tea.KeyTab}
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "down":
			msg = tea.KeyMsg{Type: tea.KeyDown}
		case "up":
			msg = tea.KeyMsg{Type: tea.KeyUp}
		case "ctrl+c":
			msg = tea.KeyMsg{Type: tea.KeyCtrlC}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		m.Update(msg)
	}
}

func mustShow(t *testing.T, m *Model, want ...string) {
	t.Helper()
	s := screen(m)
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Fatalf("the screen lacks %q:\n%s", w, s)
		}
	}
}

func mustMatch(t *testing.T, m *Model, re string) {
	t.Helper()
	if s := screen(m); !regexp.MustCompile(re).MatchString(s) {
		t.Fatalf("the screen does not match %s:\n%s", re, s)
	}
}

func mustNotShow(t *testing.T, m *Model, bad ...string) {
	t.Helper()
	s := screen(m)
	for _, w := range bad {
		if strings.Contains(s, w) {
			t.Fatalf("the screen shows %q:\n%s", w, s)
		}
	}
}

func TestExplorerKeys(t *testing.T) {
	m := New(sample(t))
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	// The last layer is selected; its file is marked in the whole image.
	mustShow(t, m, "Layers (4)", "▶  4", "COPY bin /app/bin", "Image (layer 4 marked)", "Waste 3.15 MB", "2→3  /tmp/dl")
	press(m, "tab", "enter") // tree: open app/
	mustShow(t, m, "▾ app/")
	mustMatch(t, m, `~ +1\.05 MB -rw-r--r-- +bin`)
	// Layer 3's changes: the removal of /tmp/dl.
	press(m, "tab", "tab", "up", "c")
	mustShow(t, m, "Layer 3 changes")
	mustMatch(t, m, `- +2\.10 MB -rw-r--r-- +dl`)
	// Filter, then clear it.
	press(m, "c", "/", "e", "t", "c", "enter")
	mustShow(t, m, "filter etc", "▾ etc/", "data")
	mustNotShow(t, m, "▸ app/", "▾ app/")
	press(m, "esc")
	mustShow(t, m, " app/")
	// Jump from the waste to the layer that made /tmp/dl, and to the one
	// that hid it.
	press(m, "tab", "enter")
	mustShow(t, m, "layer 2: /tmp/dl", "Layer 2 changes")
	mustMatch(t, m, `▶\+ +2\.10 MB -rw-r--r-- +dl`)
	press(m, "tab", "x")
	mustShow(t, m, "Layer 3 changes")
	mustMatch(t, m, `▶- +2\.10 MB`)
	// Help, any key closes it.
	press(m, "?")
	mustShow(t, m, "Keys", "filter by path pattern")
	press(m, "z")
	mustNotShow(t, m, "filter by path pattern")
	// Sort by name puts app before etc.
	m.setLayerView(false)
	press(m, "s")
	s := screen(m)
	if strings.Index(s, " app/") > strings.Index(s, " etc/") {
		t.Errorf("by name, app/ comes after etc/:\n%s", s)
	}
	// Hide unchanged: layer 4 made only app/bin.
	press(m, "tab", "tab", "G", "u")
	mustShow(t, m, "unchanged hidden", " app/")
	mustNotShow(t, m, " etc/", " tmp/")
	// Resizing redraws at the new size.
	m.Update(tea.WindowSizeMsg{Width: 60, Height: 12})
	for i, line := range strings.Split(screen(m), "\n") {
		if w := len([]rune(line)); w > 60 {
			t.Errorf("line %d is %d cells wide after resizing to 60", i, w)
		}
	}
	// Ctrl-C quits as an interruption.
	if _, cmd := m.Update(tea.KeyMsg{Type: tea.KeyCtrlC}); cmd == nil || !m.Interrupted() {
		t.Error("Ctrl-C did not quit as an interruption")
	}
}

// benchResult analyses the generated 60,000-file bench image (with its
// file sizes scaled down, which the explorer does not care about).
func benchResult(b *testing.B) *image.Result {
	p := filepath.Join(b.TempDir(), "bench.tar")
	var buf bytes.Buffer
	if _, err := benchimage.Write(&buf, benchimage.Spec{Scale: 1, Whiteouts: 10000, SizeScale: 0.001}); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return analyze(b, p)
}

// BenchmarkKeystroke measures a keystroke and the redraw after it
// (Update + View) on the 60,000-file bench image; the target is 16 ms.
// Each sub-benchmark is one kind of key: moving, switching the layer
// (which rebuilds the rows), sorting and filtering (which walk every
// path), and opening every directory.
func BenchmarkKeystroke(b *testing.B) {
	r := benchResult(b)
	if r.Totals.Files < 45000 {
		b.Fatalf("the bench image has %d files", r.Totals.Files)
	}
	for _, c := range []struct {
		name string
		prep []string
		keys []string
	}{
		{"move", []string{"tab", "a"}, []string{"down"}},
		{"layer", []string{"c", "u"}, []string{"down", "up"}},
		{"sort", []string{"tab", "a"}, []string{"s"}},
		{"filter", []string{"/", "f", "0"}, []string{"1", "backspace"}},
		{"expand-all", []string{"tab"}, []string{"a"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			m := New(r)
			m.Update(tea.WindowSizeMsg{Width: 160, Height: 50})
			press(m, c.prep...)
			_ = m.View()
			i := 0
			for b.Loop() {
				k := c.keys[i%len(c.keys)]
				i++
				if k == "backspace" {
					m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
				} else {
					press(m, k)
				}
				_ = m.View()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/key")
		})
	}
}
