package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/rules"
)

func newRulesCommand(a *App) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List every lint rule",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			all := rules.All()
			if asJSON {
				enc := json.NewEncoder(a.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(lint.RuleInfos(all))
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tCATEGORY\tCHECKLIST\tSUMMARY")
			for _, r := range all {
				sev := r.Severity.String()
				switch {
				case r.Retired:
					sev = "retired"
				case r.DefaultOff:
					sev += " (off)"
				}
				id := r.ID
				if len(r.Aliases) > 0 {
					id += " (" + strings.Join(r.Aliases, ", ") + ")"
				}
				if len(r.Twins) > 0 {
					id += " (twin of " + strings.Join(r.Twins, ", ") + ")"
				}
				check := r.Checklist
				if check == "" {
					check = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", id, sev, r.Category, check, r.Doc.Summary)
			}
			for _, ir := range check.All() {
				check := ir.Checklist
				if check == "" {
					check = "-"
				}
				fmt.Fprintf(tw, "%s (image)\t%s\t%s\t%s\t%s\n", ir.ID, ir.Severity, ir.Category, check, ir.Doc.Summary)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the rules as JSON")
	return cmd
}

func newExplainCommand(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE",
		Short: "Print a rule's documentation: what, why, a bad and a good example",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r := rules.Lookup(rules.All(), args[0])
			if r == nil {
				if ir, ok := check.Find(args[0]); ok {
					fmt.Fprintf(a.Stdout, "%s  %s  (strata image)\n", ir.ID, ir.Name)
					fmt.Fprintf(a.Stdout, "severity: %s   category: %s", ir.Severity, ir.Category)
					if ir.Checklist != "" {
						fmt.Fprintf(a.Stdout, "   checklist: %s", ir.Checklist)
					}
					fmt.Fprintf(a.Stdout, "\n\n%s\n\n%s\n", ir.Doc.Summary, wrap(ir.Doc.Why, 76))
					return nil
				}
				return UsageError(fmt.Errorf("unknown rule %q (see strata rules)", args[0]))
			}
			fmt.Fprintf(a.Stdout, "%s  %s\n", r.ID, r.Name)
			if len(r.Aliases) > 0 {
				fmt.Fprintf(a.Stdout, "also known as: %s\n", strings.Join(r.Aliases, ", "))
			}
			if len(r.Twins) > 0 {
				fmt.Fprintf(a.Stdout, "twin of: %s (the same check as the other tool does it; configuring one configures both)\n", strings.Join(r.Twins, ", "))
			}
			state := r.Severity.String()
			if r.Retired {
				state = "retired (accepted in ignore lists, never reported)"
			} else if r.DefaultOff {
				state += ", off by default (enable it with --enable " + r.ID + ")"
			}
			fmt.Fprintf(a.Stdout, "severity: %s   category: %s", state, r.Category)
			if r.Checklist != "" {
				fmt.Fprintf(a.Stdout, "   checklist: %s", r.Checklist)
			}
			fmt.Fprintf(a.Stdout, "\n\n%s\n\n%s\n", r.Doc.Summary, wrap(r.Doc.Why, 76))
			if r.Doc.Bad != "" {
				fmt.Fprintf(a.Stdout, "\nInstead of:\n\n%s\n", indent(r.Doc.Bad))
			}
			if r.Doc.Good != "" {
				fmt.Fprintf(a.Stdout, "\nWrite:\n\n%s\n", indent(r.Doc.Good))
			}
			if r.Doc.Deviation != "" {
				fmt.Fprintf(a.Stdout, "\nDeviation from hadolint:\n\n%s\n", wrap(r.Doc.Deviation, 76))
			}
			return nil
		},
	}
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		if i > 0 {
			if n+1+len(w) > width {
				b.WriteByte('\n')
				n = 0
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
