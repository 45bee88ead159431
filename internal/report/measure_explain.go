package report

import (
	"bytes"
	"fmt"
	"text/tabwriter"

	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/vocab"
)

// writeExplain writes why the warm rebuild ran each step (measure
// --explain) and the checklist items the measurement judged.
func writeExplain(b *bytes.Buffer, p Palette, m *measure.Measurement) error {
	if len(m.Explain) > 0 {
		fmt.Fprintf(b, "\n%s\n", p.Bold("Why the warm rebuild ran each step"))
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		for _, e := range m.Explain {
			did := p.Green("cached")
			if !e.Cached {
				did = p.Red("rebuilt")
			}
			why := e.Why
			if !e.Agrees {
				why = p.Yellow(fmt.Sprintf("strata predicted %s; ", e.Predicted)) + why
			}
			line := ""
			if e.Line > 0 {
				line = fmt.Sprint(e.Line)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", line, ClipText(stepText(e.Step), 50), did, why)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(m.Claims) > 0 {
		fmt.Fprintf(b, "\n%s\n", p.Bold("Checklist, as measured"))
		for _, c := range m.Claims {
			mark := p.Green("pass")
			if c.Status == vocab.Fail {
				mark = p.Red("fail")
			}
			fmt.Fprintf(b, "  %s  %s: %s\n", mark, c.Item, c.Text)
		}
	}
	return nil
}

// stepText drops BuildKit's numbering from a step name.
func stepText(name string) string {
	if name != "" && name[0] == '[' {
		for i := 1; i < len(name); i++ {
			if name[i] == ']' {
				return name[min(i+2, len(name)):]
			}
		}
	}
	return name
}
