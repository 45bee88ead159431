// Package explore is strata image's interactive explorer: a terminal UI
// (bubbletea, lipgloss, bubbles) over one analysis — the layers, the file
// tree of the final filesystem or of one layer's changes with added,
// modified and removed paths marked, and the waste, each hidden path with
// the layer that made it and the one that hid it. It renders the analysis
// strata image made (image.Options.Changes); it reads nothing itself.
package explore

import (
	"context"
	"errors"
	"fmt"
	"io"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stratatools/strata/internal/image"
)

// ErrInterrupted is returned when the user leaves with Ctrl-C or the
// context ends.
var ErrInterrupted = errors.New("interrupted")

// Options say where the explorer runs.
type Options struct {
	// Input and Output are the terminal (default: the process's).
	Input  io.Reader
	Output io.Writer
}

// Run shows r until the user quits. The terminal is restored on every
// way out: q, Ctrl-C (ErrInterrupted), the end of ctx.
func Run(ctx context.Context, r *image.Result, opts Options) error {
	m := New(r)
	po := []tea.ProgramOption{tea.WithContext(ctx), tea.WithAltScreen()}
	if opts.Input != nil {
		po = append(po, tea.WithInput(opts.Input))
	}
	if opts.Output != nil {
		po = append(po, tea.WithOutput(opts.Output))
	}
	_, err := tea.NewProgram(m, po...).Run()
	switch {
	case errors.Is(err, tea.ErrProgramKilled), errors.Is(err, tea.ErrInterrupted), ctx.Err() != nil:
		return ErrInterrupted
	case err != nil:
		return fmt.Errorf("running the explorer: %w", err)
	case m.Interrupted():
		return ErrInterrupted
	}
	return nil
}
