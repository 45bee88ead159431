package engine

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// These checks run before anything connects to the Engine, so that bad
// input is refused at once. Problems are *vocab.InputError.

// DockerfileArg turns a directory argument into the Dockerfile in it;
// anything else is returned as it is.
func DockerfileArg(arg string) string {
	if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
		return filepath.Join(arg, "Dockerfile")
	}
	return arg
}

// CheckDockerfile checks that path is a Dockerfile the builder can take
// (see ParseDockerfile).
func CheckDockerfile(path string) error {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return vocab.Inputf("Dockerfile %s: %w", path, unwrapPath(err))
	case fi.IsDir():
		return vocab.Inputf("Dockerfile %s is a directory", path)
	}
	_, err = ParseDockerfile(path)
	return err
}

// CheckContext checks that dir is a directory to use as build context.
func CheckContext(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case err != nil:
		return vocab.Inputf("build context %s: %w", dir, unwrapPath(err))
	case !fi.IsDir():
		return vocab.Inputf("build context %s is not a directory", dir)
	}
	return nil
}

// unwrapPath drops the operation and path an *os.PathError repeats.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ParseDockerfile reads the Dockerfile at path and checks that the
// builder can take it: it parses, has a FROM, and every instruction is
// one the builder knows with valid flags. Problems name the file and
// line.
func ParseDockerfile(path string) (*dockerfile.File, error) {
	df, err := dockerfile.ParseFile(path)
	if err != nil {
		return nil, &vocab.InputError{Err: err}
	}
	if len(df.Stages) == 0 {
		return nil, vocab.Inputf("%s: no FROM instruction; not a Dockerfile?", path)
	}
	for _, in := range df.Instructions {
		if in.TypedErr != nil {
			return nil, vocab.Inputf("%s:%d: %w", path, in.StartLine, in.TypedErr)
		}
	}
	return df, nil
}
