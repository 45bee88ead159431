package lint

import "github.com/stratatools/strata/internal/rules"

// oncePerRun keeps the first of the findings that describe the run rather
// than a file (rules.PerRun: shellcheck is not installed) and drops their
// repeats on later files, from both the report and the engine results.
func oncePerRun(out *Outcome) {
	seen := map[string]bool{}
	for i := range out.Report.Files {
		fr := &out.Report.Files[i]
		kept := fr.Findings[:0]
		for _, f := range fr.Findings {
			if rules.PerRun(f.Rule, f.Message) {
				k := f.Rule + "\x00" + f.Message
				if seen[k] {
					continue
				}
				seen[k] = true
			}
			kept = append(kept, f)
		}
		fr.Findings = kept
	}
	seen = map[string]bool{}
	for _, fo := range out.Results {
		if fo == nil || fo.Result == nil {
			continue
		}
		kept := fo.Result.Diagnostics[:0]
		for _, d := range fo.Result.Diagnostics {
			if rules.PerRun(d.Rule.ID, d.Message) {
				k := d.Rule.ID + "\x00" + d.Message
				if seen[k] {
					continue
				}
				seen[k] = true
			}
			kept = append(kept, d)
		}
		fo.Result.Diagnostics = kept
	}
}
