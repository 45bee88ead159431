package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/dockerignore"
	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/vocab"
)

// Fixed is a Dockerfile's "strata fix --unsafe" form, ready to build: a
// copy of its build context with the files the fixes add, and the fixed
// Dockerfile in it where the original was.
type Fixed struct {
	Dockerfile string
	Context    string
	Result     *fix.Result
}

// FixCopy applies strata fix --unsafe to the Dockerfile at dfPath (build
// context contextDir) and writes the result under dir, which the caller
// removes. The user's files are not touched.
func FixCopy(ctx context.Context, dfPath, contextDir, dir string, req lint.Request) (*Fixed, error) {
	src, err := os.ReadFile(dfPath)
	if err != nil {
		return nil, vocab.Inputf("reading %s: %w", dfPath, err)
	}
	req.ContextDir = contextDir
	set, err := lint.SettingsFor(dfPath, req)
	if err != nil {
		return nil, &vocab.InputError{Err: err}
	}
	res, err := fix.File(ctx, dfPath, src, fix.Options{Unsafe: true, Lint: set.Options, Context: set.Context})
	if err != nil {
		if vocab.IsInput(err) || ctx.Err() == nil {
			return nil, &vocab.InputError{Err: err}
		}
		return nil, err
	}
	out := &Fixed{Context: filepath.Join(dir, "context"), Result: res}
	if err := build.CopyContext(contextDir, dfPath, out.Context); err != nil {
		return nil, err
	}
	if err := fix.WriteCreated(out.Context, res.Create); err != nil {
		return nil, fmt.Errorf("adding the fixes' files to the build context copy: %w", err)
	}
	if rel := dockerignore.InContext(contextDir, dfPath); rel != "" {
		out.Dockerfile = filepath.Join(out.Context, filepath.FromSlash(rel))
	} else {
		out.Dockerfile = filepath.Join(dir, filepath.Base(dfPath))
	}
	if err := os.MkdirAll(filepath.Dir(out.Dockerfile), 0o755); err != nil {
		return nil, fmt.Errorf("writing the fixed Dockerfile: %w", err)
	}
	if err := os.WriteFile(out.Dockerfile, res.Fixed, 0o644); err != nil {
		return nil, fmt.Errorf("writing the fixed Dockerfile: %w", err)
	}
	return out, nil
}
