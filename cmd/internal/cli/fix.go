package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stratatools/strata/internal/ctxio"
	"github.com/stratatools/strata/internal/diff"
	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/lint"
)

// FixEstimate prints on standard error what a fix does to the image's
// expected size (strata estimate); cachedOnly keeps to what is known
// without the network (fix --explain without --estimate).
type FixEstimate func(ctx context.Context, a *App, res *fix.Result, contextDir string, cachedOnly bool) error

type fixOptions struct {
	unsafe   bool
	write    bool
	output   string
	explain  bool
	estimate bool
}

// newFixCommand returns fix; without est (nil), --explain lists the
// changes without their effect on the size and there is no --estimate.
func newFixCommand(a *App, est FixEstimate) *cobra.Command {
	var (
		lf   lintFlags
		opts fixOptions
	)
	cmd := &cobra.Command{
		Use:   "fix [flags] [DOCKERFILE]",
		Short: "Rewrite a Dockerfile into its optimized form",
		Long: `fix applies the fixes strata's rules propose and prints the result as a
unified diff. --write replaces the file (atomically, keeping its mode;
for a symbolic link, the file it points to is replaced and the link
kept); --output writes the fixed Dockerfile elsewhere ("-" for standard
output).
Safe fixes keep what the image contains; --unsafe adds structural ones
(dependency manifests first, a non-root user, a .dockerignore, a build
stage, a lighter base), each explained in the diff's header.

Exit status, as lint: 0 when the fixed Dockerfile has no finding at the
failure threshold, 1 when one remains, 2 for usage or input errors (a
Dockerfile that does not parse is reported and left untouched).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.write && opts.output != "" {
				return UsageError(errors.New("--write and --output cannot be combined"))
			}
			req, err := lf.request(a, args)
			if err != nil {
				return err
			}
			path := req.Paths[0]
			var src []byte
			if path == "-" {
				if opts.write {
					return UsageError(errors.New("--write needs a file, not standard input"))
				}
				if src, err = lint.ReadStdin(ctxio.Reader(cmd.Context(), a.Stdin)); err != nil {
					return UsageError(err)
				}
			}
			res, ctxDir, err := fixFile(cmd, req, path, src, opts)
			if err != nil {
				return err
			}
			if opts.explain {
				writeExplanation(a, res)
			}
			if est != nil && (opts.explain || opts.estimate) {
				if err := est(cmd.Context(), a, res, ctxDir, !opts.estimate); err != nil {
					return err
				}
			}
			if !opts.write && opts.output == "" {
				out := &checkedWriter{w: a.Stdout}
				name := diffName(path)
				fmt.Fprint(out, diff.Unified("a/"+name, "b/"+name, string(res.Original), string(res.Fixed), header(res)))
				for _, nf := range res.Create {
					fmt.Fprint(out, diff.Unified("/dev/null", "b/"+diffName(filepath.Join(ctxDir, filepath.FromSlash(nf.Path))), "", nf.Content, ""))
				}
				if err := out.Err(); err != nil {
					return err
				}
			} else if !opts.write && len(res.Create) > 0 {
				for _, nf := range res.Create {
					fmt.Fprintf(a.Stderr, "strata: the fixes also add %s to the build context; run with --write to create it\n", nf.Path)
				}
			}
			_, _, failedAfter, err := lint.Source(cmd.Context(), path, res.Fixed, req)
			if err != nil {
				return UsageError(err)
			}
			if failedAfter {
				return Failed()
			}
			return nil
		},
	}
	fl := cmd.Flags()
	lf.register(fl)
	fl.BoolVarP(&opts.write, "write", "w", false, "replace the Dockerfile with the fixed one (through a symbolic link, its target)")
	fl.StringVarP(&opts.output, "output", "o", "", "write the fixed Dockerfile to this file (- for standard output)")
	fl.BoolVar(&opts.unsafe, "unsafe", false, "also apply structural fixes that change what the image contains")
	if est == nil {
		fl.BoolVar(&opts.explain, "explain", false, "list each change with the rule that asked for it")
		return cmd
	}
	fl.BoolVar(&opts.explain, "explain", false, "list each change with the rule that asked for it and its expected effect (with the expected sizes, from the cache and the local Docker Engine)")
	fl.BoolVar(&opts.estimate, "estimate", false, "print the expected image size before and after the fix (strata estimate; uses the network)")
	return cmd
}

// fixFile fixes one Dockerfile and writes it where opts says.
// It returns the result and the build context's directory.
func fixFile(cmd *cobra.Command, req lint.Request, path string, src []byte, opts fixOptions) (*fix.Result, string, error) {
	if src == nil {
		f, err := os.ReadFile(path)
		if err != nil {
			return nil, "", UsageError(fmt.Errorf("reading %s: %w", path, err))
		}
		src = f
	}
	set, err := lint.SettingsFor(path, req)
	if err != nil {
		return nil, "", UsageError(err)
	}
	res, err := fix.File(cmd.Context(), path, src, fix.Options{Unsafe: opts.unsafe, Lint: set.Options, Context: set.Context})
	if err != nil {
		return nil, "", UsageError(err)
	}
	switch {
	case opts.write:
		if res.Changed() {
			if err := fix.WriteFile(path, res.Fixed); err != nil {
				return nil, "", UsageError(err)
			}
		}
		if err := fix.WriteCreated(set.Context.Dir, res.Create); err != nil {
			return nil, "", UsageError(err)
		}
	case opts.output == "-":
		out := &checkedWriter{w: cmd.OutOrStdout()}
		if _, err := out.Write(res.Fixed); err != nil {
			return nil, "", out.Err()
		}
	case opts.output != "":
		if err := fix.WriteFile(opts.output, res.Fixed); err != nil {
			return nil, "", UsageError(err)
		}
	}
	return res, set.Context.Dir, nil
}

// header explains the structural changes at the top of the diff.
func header(res *fix.Result) string {
	var b strings.Builder
	for _, c := range res.Changes {
		if c.Unsafe {
			fmt.Fprintf(&b, "%s (%s): %s\n", c.Rule, c.Name, c.Message)
		}
	}
	for _, nf := range res.Create {
		fmt.Fprintf(&b, "adds %s to the build context\n", nf.Path)
	}
	if b.Len() == 0 {
		return ""
	}
	return "strata fix --unsafe made structural changes:\n" + b.String()
}

func writeExplanation(a *App, res *fix.Result) {
	if len(res.Changes) == 0 {
		fmt.Fprintf(a.Stderr, "%s: nothing to fix\n", res.Path)
	} else {
		fmt.Fprintf(a.Stderr, "%s: %d change(s) in %d pass(es)\n", res.Path, len(res.Changes), res.Passes)
	}
	for _, c := range res.Changes {
		kind := "safe"
		if c.Unsafe {
			kind = "unsafe"
		}
		fmt.Fprintf(a.Stderr, "  line %d  %-8s [%s, %s] %s\n", c.Line, c.Rule, c.Category, kind, c.Message)
	}
	if len(res.Declined) > 0 {
		fmt.Fprintf(a.Stderr, "not fixed (lines of the fixed file):\n")
	}
	for _, d := range res.Declined {
		fmt.Fprintf(a.Stderr, "  line %d  %-8s %s: %s\n", d.Line, d.Rule, d.Message, d.Reason)
	}
}

// diffName is how a file is named in the diff's headers: relative to the
// working directory when it lies below it (so that patch -p1 applies the
// diff from there), with forward slashes and no leading slash.
func diffName(p string) string {
	if p == "-" || p == "" {
		return "Dockerfile"
	}
	if abs, err := filepath.Abs(p); err == nil {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				p = rel
			}
		}
	}
	return strings.TrimLeft(filepath.ToSlash(p), "/")
}
