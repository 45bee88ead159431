// Package steptimes keeps the time each build step took when strata
// measure last built a Dockerfile, in the user's cache folder
// (os.UserCacheDir()/strata/step-times), one small JSON file per
// Dockerfile, so that strata cache can say what a rebuild will cost.
package steptimes

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/stratatools/strata/internal/atomicfile"
)

// Record is one Dockerfile's step times.
type Record struct {
	// Dockerfile is the Dockerfile's absolute path.
	Dockerfile string `json:"dockerfile"`
	// Recorded is when the build ran.
	Recorded time.Time `json:"recorded"`
	// Steps are seconds by step (buildplan.StepKey of BuildKit's name).
	Steps map[string]float64 `json:"steps"`
}

// maxSize bounds a record file strata reads.
const maxSize = 4 << 20

// Dir is the folder the records are kept in.
func Dir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the user cache folder: %w", err)
	}
	return filepath.Join(d, "strata", "step-times"), nil
}

// path is the record file of a Dockerfile.
func path(dockerfile string) (string, string, error) {
	abs, err := filepath.Abs(dockerfile)
	if err != nil {
		return "", "", err
	}
	dir, err := Dir()
	if err != nil {
		return "", "", err
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(dir, hex.EncodeToString(sum[:12])+".json"), abs, nil
}

// Load returns the record of a Dockerfile; nil, nil when there is none.
func Load(dockerfile string) (*Record, error) {
	p, abs, err := path(dockerfile)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading step times: %w", err)
	}
	defer f.Close()
	var r Record
	dec := json.NewDecoder(&limited{f: f, n: maxSize})
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("reading step times %s: %w", p, err)
	}
	if r.Dockerfile != abs {
		return nil, nil
	}
	return &r, nil
}

// Save writes the record of its Dockerfile, atomically.
func Save(r *Record) error {
	p, abs, err := path(r.Dockerfile)
	if err != nil {
		return err
	}
	r.Dockerfile = abs
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("saving step times: %w", err)
	}
	if err := atomicfile.Write(p, data, 0o600, false); err != nil {
		return fmt.Errorf("saving step times: %w", err)
	}
	return nil
}

// limited reads at most n bytes and then fails.
type limited struct {
	f *os.File
	n int64
}

func (l *limited) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errors.New("file too large")
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.f.Read(p)
	l.n -= int64(n)
	return n, err
}
