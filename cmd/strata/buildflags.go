package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/vocab"
)

// buildFlags are the flags context and cache share: which Dockerfile,
// and the build settings that change what it reads.
type buildFlags struct {
	file      string
	target    string
	buildArgs []string
	format    string
	noColor   bool
}

func (bf *buildFlags) register(fl *pflag.FlagSet) {
	fl.StringVarP(&bf.file, "file", "f", "", "the Dockerfile (default: DIR/Dockerfile); it must lie in DIR")
	fl.StringVar(&bf.target, "target", "", "build stage to build (default: the last)")
	fl.StringArrayVar(&bf.buildArgs, "build-arg", nil, "build-time variable KEY=VALUE; repeatable")
	fl.StringVar(&bf.format, "format", "text", "output format: text or json")
	fl.BoolVar(&bf.noColor, "no-color", false, "never colour the output")
}

// resolve checks the flags and returns the context directory and the
// Dockerfile.
func (bf *buildFlags) resolve(args []string) (dir, dockerfile string, err error) {
	switch bf.format {
	case "text", "json":
	default:
		return "", "", cli.UsageError(fmt.Errorf("--format %q: want text or json", bf.format))
	}
	dir = "."
	if len(args) == 1 {
		dir = args[0]
	}
	if fi, err := os.Stat(dir); err != nil {
		return "", "", vocab.Inputf("build context %s: %w", dir, unwrapPathError(err))
	} else if !fi.IsDir() {
		return "", "", vocab.Inputf("build context %s is not a directory", dir)
	}
	dockerfile = bf.file
	if dockerfile == "" {
		dockerfile = filepath.Join(dir, "Dockerfile")
	}
	if fi, err := os.Stat(dockerfile); err != nil {
		return "", "", vocab.Inputf("Dockerfile %s: %w", dockerfile, unwrapPathError(err))
	} else if fi.IsDir() {
		return "", "", vocab.Inputf("Dockerfile %s is a directory", dockerfile)
	}
	return dir, dockerfile, nil
}

// parseBuildArgs parses --build-arg values (KEY=VALUE, or KEY alone to take it from
// the environment).
func parseBuildArgs(a *cli.App, flag string, kvs []string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if k == "" {
			return nil, cli.UsageError(fmt.Errorf("%s %q: want KEY=VALUE or KEY", flag, kv))
		}
		if !ok {
			v = a.Getenv(k)
		}
		out[k] = v
	}
	return out, nil
}

// interrupted maps an error after Ctrl-C to exit 130.
func interrupted(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return &cli.ExitError{Code: cli.ExitInterrupted, Err: errors.New("interrupted")}
	}
	return err
}

// unwrapPathError drops the operation and path an *os.PathError repeats.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
