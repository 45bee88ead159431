// Package gitchange reads from git what changed in a folder since a
// revision: the paths (git diff --name-only, and the untracked files a
// build would send too) and the content files had at the revision.
package gitchange

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/stratatools/strata/internal/vocab"
)

// Repo is a folder inside a git work tree.
type Repo struct {
	dir string
}

// Open returns the repository dir lies in; a folder outside any git work
// tree (or no git at all) is a *vocab.InputError.
func Open(ctx context.Context, dir string) (*Repo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, vocab.Inputf("reading changes from git: git is not installed")
	}
	out, err := run(ctx, dir, "rev-parse", "--is-inside-work-tree")
	if err != nil || strings.TrimSpace(out) != "true" {
		return nil, vocab.Inputf("%s is not in a git repository (--since reads the changes from git)", dir)
	}
	return &Repo{dir: dir}, nil
}

// Changed returns the paths below the folder, relative to it and
// slash-separated, that differ from revision rev in the work tree
// (added, removed, edited, mode changed), and the untracked files git
// does not ignore. An unknown revision is a *vocab.InputError.
func (r *Repo) Changed(ctx context.Context, rev string) ([]string, error) {
	if strings.HasPrefix(rev, "-") {
		return nil, vocab.Inputf("--since %q: not a revision", rev)
	}
	if _, err := run(ctx, r.dir, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		return nil, vocab.Inputf("--since %s: no such revision in the git repository of %s", rev, r.dir)
	}
	diff, err := run(ctx, r.dir, "diff", "--name-only", "--relative", "--no-renames", "-z", rev, "--")
	if err != nil {
		return nil, fmt.Errorf("git diff %s in %s: %w", rev, r.dir, err)
	}
	untracked, err := run(ctx, r.dir, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
	if err != nil {
		return nil, fmt.Errorf("git ls-files in %s: %w", r.dir, err)
	}
	var out []string
	for _, p := range strings.Split(diff+untracked, "\x00") {
		if p != "" {
			out = append(out, filepath.ToSlash(p))
		}
	}
	return out, nil
}

// Show returns the content the file at rel (relative to the folder) had
// at revision rev; ok is false when it did not exist then.
func (r *Repo) Show(ctx context.Context, rev, rel string) (data []byte, ok bool, err error) {
	out, err := run(ctx, r.dir, "show", rev+":./"+filepath.ToSlash(rel))
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return []byte(out), true, nil
}

func run(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", fmt.Errorf("%w: %s", err, msg)
		}
		return "", err
	}
	return stdout.String(), nil
}
