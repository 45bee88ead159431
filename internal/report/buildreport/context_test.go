package buildreport

import (
	"bytes"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/buildcontext"
	"github.com/stratatools/strata/internal/cachepredict"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/report/reporttest"
)

func contextReport() *buildcontext.Report {
	copyAll := buildcontext.Taker{Line: 5, Instruction: "COPY . ."}
	r := &buildcontext.Report{
		Dir: "app", Dockerfile: "app/Dockerfile", IgnoreFile: "app/.dockerignore", IgnorePatterns: []string{"*.log"},
		Sent:         buildcontext.Totals{Files: 8, Dirs: 4, Bytes: 5_251_000, Transfer: 5_251_998},
		WholeContext: []buildcontext.Taker{copyAll},
		Passed:       buildcontext.Totals{Files: 8, Dirs: 4, Bytes: 5_251_000, Transfer: 5_251_998},
		TopFolders: []buildcontext.Usage{
			{Path: ".git", Bytes: 3_000_000, Files: 1, SentBytes: 3_000_000},
			{Path: "(top-level files)", Bytes: 2_001_000, Files: 4, SentBytes: 2_001_000},
			{Path: "node_modules", Bytes: 250_000, Files: 3, SentBytes: 250_000},
		},
		LargestDirs:  []buildcontext.Usage{{Path: ".git/objects", Bytes: 3_000_000, Files: 1}},
		LargestFiles: []buildcontext.Usage{{Path: ".git/objects/pack", Bytes: 3_000_000, Files: 1}, {Path: "backup.tar.gz", Bytes: 2_000_000, Files: 1}},
		Junk: []buildcontext.Junk{
			{Path: ".git", Category: buildcontext.JunkVCS, Bytes: 3_000_000, Files: 1, Sent: true, TakenBy: []buildcontext.Taker{copyAll}},
			{Path: "dist", Category: buildcontext.JunkOutput, Bytes: 900, Files: 1, Sent: true, TakenBy: []buildcontext.Taker{copyAll}, Kept: "build output that COPY . . (line 5) copies into the image"},
		},
		Secrets: []buildcontext.Secret{{Path: ".env", Sent: true, TakenBy: []buildcontext.Taker{copyAll}}},
		Reads: []buildcontext.ReadUse{
			{Taker: buildcontext.Taker{Line: 3, Instruction: "COPY requirements.txt ."}, Path: "requirements.txt", Bytes: 6, Files: 1},
			{Taker: copyAll, Bytes: 5_251_000, Files: 8},
			{Taker: buildcontext.Taker{Line: 6, Instruction: "COPY missing.txt /"}, Path: "missing.txt", Missing: true},
		},
		UnusedPaths: []buildcontext.Usage{},
		Suggestion: &buildcontext.Suggestion{Path: "app/.dockerignore", Added: []buildcontext.Pattern{{Pattern: ".git", Why: "version control", Bytes: 3_000_000}},
			Content: "*.log\n\n# Added by strata context\n# version control\n.git\n",
			Diff:    "--- app/.dockerignore\n+++ app/.dockerignore (suggested)\n@@ -1 +1,5 @@\n *.log\n+\n+# Added by strata context\n+# version control\n+.git\n",
			Saves:   buildcontext.Totals{Files: 1, Bytes: 3_000_000, Transfer: 3_000_100}, SavesSent: buildcontext.Totals{Files: 1, Bytes: 3_000_000, Transfer: 3_000_100}},
		Problems:   []buildcontext.Problem{{Path: "locked", Err: "permission denied"}},
		Unreadable: []string{},
	}
	r.CheckGate(1_000_000)
	return r
}

func cacheReport() *cachepredict.Report {
	sec := 41.5
	when := time.Date(2025, 3, 4, 5, 6, 0, 0, time.UTC)
	p := &cachepredict.Prediction{
		Steps: []cachepredict.StepResult{
			{Name: "[1/4] FROM docker.io/library/python:3.12", Stage: "stage-0", Line: 1, Instruction: "FROM python:3.12", Kind: "from", Status: "cached", Causes: []cachepredict.Cause{}, Root: -1},
			{Name: "[2/4] COPY requirements.txt .", Stage: "stage-0", Line: 3, Instruction: "COPY requirements.txt .", Kind: "copy", Status: "cached", Causes: []cachepredict.Cause{}, Root: -1},
			{Name: "[3/4] COPY . .", Stage: "stage-0", Line: 5, Instruction: "COPY . .", Kind: "copy", Status: "rebuilt", Root: 2,
				Causes: []cachepredict.Cause{{Kind: "files", Text: "takes src/app.py, which changed", From: -1, Files: []string{"src/app.py"}}}},
			{Name: "[4/4] RUN pip install .", Stage: "stage-0", Line: 6, Instruction: "RUN pip install .", Kind: "run", Status: "rebuilt", Root: 2, Seconds: &sec,
				Causes: []cachepredict.Cause{{Kind: "parent", Text: "the step it builds on (line 5) rebuilds", From: 2}}},
		},
		Total: 3, Rebuilt: 2, ExpectedSeconds: &sec,
		Roots: []cachepredict.Root{{Step: 2, Rebuilds: 2, Text: "line 5 `COPY . .` takes src/app.py, which changed → this step and the 1 after it rebuild, including `RUN pip install .` (line 6)"}},
	}
	return &cachepredict.Report{Dir: "app", Dockerfile: "app/Dockerfile", Changed: []string{"src/app.py"},
		BuildArgs: map[string]string{}, PreviousBuildArgs: map[string]string{}, Prediction: p, TimesRecorded: &when,
		Notes: []string{"compared with the previous build only: BuildKit may still hold steps of older builds"}}
}

func TestContextAndCacheGolden(t *testing.T) {
	reporttest.Goldens(t, []reporttest.Output{
		{Name: "context-text", Write: func(b *bytes.Buffer) error { return ContextText(b, contextReport(), report.Options{}) }},
		{Name: "context-json", Write: func(b *bytes.Buffer) error { return ContextJSON(b, contextReport()) }},
		{Name: "cache-text", Write: func(b *bytes.Buffer) error { return CacheText(b, cacheReport(), report.Options{}) }},
		{Name: "cache-json", Write: func(b *bytes.Buffer) error { return CacheJSON(b, cacheReport()) }},
	})
}
