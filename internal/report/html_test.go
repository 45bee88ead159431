package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/measure"
)

func TestCompareHTMLIsSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := CompareHTML(&b, sampleComparison()); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	// Nothing is fetched: no external scripts, styles, images or fonts.
	for _, re := range []string{`(?i)<script[^>]+src=`, `(?i)<link\b`, `(?i)<img\b`, `(?i)url\(`, `(?i)@import`, `(?i)https?://`} {
		if regexp.MustCompile(re).MatchString(page) {
			t.Errorf("the page matches %s: it must not load anything", re)
		}
	}
	for _, want := range []string{
		"<title>strata compare: a/Dockerfile vs b/Dockerfile &lt;x&gt;</title>",
		`<div class="verdict B" id="verdict">B wins (score 121.4)</div>`,
		`<td>image size</td><td class="num">54.4 MB</td><td class="num">1.98 MB</td><td class="num">−52.4 MB</td><td class="num red">96.4 %</td>`,
		`<tr class="worse"><td>cold build (median)</td>`,
		`<code>SI030</code>`,
		"(54411165 − 1982365) / 54411165 × 100 = 96.4",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "<x>") {
		t.Error("a subject was not escaped")
	}
	// Two totals per side, and one bar per layer of each side.
	bars := regexp.MustCompile(`class="bar [^"]*"`).FindAllString(page, -1)
	if len(bars) != 4+2+2 {
		t.Errorf("%d bars, want 8: %q", len(bars), bars)
	}
	if !strings.Contains(page, `data-side="A" data-layer="1" data-bytes="54410165" style="width: 100%"`) {
		t.Error("A's largest layer is not drawn at full width")
	}
	if !strings.Contains(page, `data-side="B" data-layer="2" data-bytes="1000" style="width: 0.5%"`) {
		t.Error("a small layer is not drawn as a sliver")
	}
}

func TestCompareHTMLRejectsAnEmptyComparison(t *testing.T) {
	if err := CompareHTML(&bytes.Buffer{}, &measure.Comparison{}); err == nil {
		t.Error("no error for a comparison without sides")
	}
}

func TestBarPct(t *testing.T) {
	for _, tt := range []struct {
		v, max int64
		want   float64
	}{{0, 100, 0}, {100, 100, 100}, {50, 100, 50}, {1, 1_000_000, 0.5}, {333, 1000, 33.3}, {5, 0, 0}} {
		if got := BarPct(tt.v, tt.max); got != tt.want {
			t.Errorf("BarPct(%d, %d) = %v, want %v", tt.v, tt.max, got, tt.want)
		}
	}
}
