package rules

import (
	"strconv"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3011 reports EXPOSE ports outside the valid range.
var DL3011 = &Rule{
	ID:       "DL3011",
	Name:     "invalid-port",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Valid UNIX ports range from 0 to 65535.",
		Why: "EXPOSE documents the ports the container listens on and feeds -P publishing; a " +
			"number outside 0-65535 (or a range whose end is below its start) cannot be a port, " +
			"so it is a typo that tools will reject. Ranges and /tcp, /udp suffixes are " +
			"understood; values built from variables are not judged.",
		Bad:  "EXPOSE 80800",
		Good: "EXPOSE 8080/tcp 9000-9010/udp",
	},
	Check: func(p *Pass) error {
		eachInstruction(p.File, func(in, outer *dockerfile.Instruction) {
			if in.Cmd != "expose" {
				return
			}
			for _, a := range in.Args {
				if why := exposePortProblem(a); why != "" {
					p.Report(outer, "%sEXPOSE %s %s", triggerPrefix(in, outer), a, why)
				}
			}
		})
		return nil
	},
}

// exposePortProblem returns why an EXPOSE argument is not a valid port
// or port range, or "" when it is valid or cannot be judged (variables,
// host mappings, which BuildKit's ExposeInvalidFormat covers).
func exposePortProblem(arg string) string {
	a := dockerfile.TrimQuotes(arg)
	if a == "" || dockerfile.HasVariable(a) || strings.Contains(a, ":") {
		return ""
	}
	ports, _, _ := strings.Cut(a, "/")
	lo, hi, isRange := strings.Cut(ports, "-")
	parse := func(s string) (int, bool) {
		if !isDigits(s) {
			return 0, false
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 70000, true // too many digits
		}
		return n, true
	}
	l, ok := parse(lo)
	if !ok {
		return "is not a port number"
	}
	h := l
	if isRange {
		if h, ok = parse(hi); !ok {
			return "is not a port range"
		}
	}
	switch {
	case l > 65535 || h > 65535:
		return "is outside 0-65535"
	case h < l:
		return "is an empty range"
	}
	return ""
}
