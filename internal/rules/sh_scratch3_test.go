package rules

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/dockerfile"
)

func TestScratchTiming(t *testing.T) {
	dir := os.Getenv("CORPUS")
	if dir == "" {
		t.Skip()
	}
	files, _ := filepath.Glob(dir)
	var worst time.Duration
	var worstName string
	total := time.Duration(0)
	for _, p := range files {
		src, _ := os.ReadFile(p)
		if strings.HasPrefix(string(src), "go test fuzz v1\n[]byte(") {
			body := strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(string(src), "go test fuzz v1\n[]byte(")), ")")
			u, err := strconv.Unquote(body)
			if err != nil {
				continue
			}
			src = []byte(u)
		}
		f, err := dockerfile.Parse("x", src)
		if err != nil {
			continue
		}
		for _, r := range shellRules() {
			start := time.Now()
			p2 := &Pass{Rule: r, File: f, Context: &BuildContext{}, Settings: &Settings{}, facts: newFacts(f), report: func(Diagnostic) {}}
			r.Check(p2)
			d := time.Since(start)
			total += d
			if d > worst {
				worst, worstName = d, p+" "+r.ID
			}
		}
	}
	t.Logf("files %d total %s worst %s %s", len(files), total, worst, worstName)
}
