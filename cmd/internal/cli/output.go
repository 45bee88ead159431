package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// checkedWriter wraps standard output and keeps the first write error,
// so that a command that prints in many small writes can report a failed
// one (a full disk, a closed file) once, as bad output: exit 2 with
// "writing standard output: no space left on device".
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err != nil {
		c.err = err
	}
	return n, err
}

// Err returns the first write error as a usage error, or nil.
func (c *checkedWriter) Err() error {
	if c.err == nil {
		return nil
	}
	return UsageError(stdoutError(c.err))
}

// stdoutError words a failed write to standard output: the operating
// system's reason without the "write /dev/stdout" the os package adds.
func stdoutError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("writing standard output: %w", err)
}
