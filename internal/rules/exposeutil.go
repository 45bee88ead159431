package rules

import (
	"net"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/stratatools/strata/internal/dockerfile"
)

// EXPOSE's ports as BuildKit reads them, for ExposeInvalidFormat and
// ExposeProtoCasing.

// bkExposed is one port of an EXPOSE as BuildKit reads it.
type bkExposed struct {
	raw      string // the word as written in the Dockerfile
	expanded string // after variable expansion
	proto    string // as written ("" when none)
	ip, host string // parts that do not belong in EXPOSE
}

// bkExposePorts returns the ports of every EXPOSE of the file, each with
// its instruction, in the order BuildKit checks them. BuildKit stops at
// the first port it cannot parse; so does this. Ports whose value depends
// on variables strata cannot know are skipped.
func bkExposePorts(p *Pass, fn func(in *dockerfile.Instruction, ports []bkExposed)) {
	bkEachScope(p, func(step bkStep, sc *bkScope) {
		c, ok := step.in.Typed.(*instructions.ExposeCommand)
		if !ok {
			return
		}
		var out []bkExposed
	ports:
		for _, raw := range c.Ports {
			words, ok := sc.words(raw)
			if !ok {
				continue
			}
			for _, w := range words {
				e, valid := bkParseExposed(w)
				if e != nil {
					e.raw = raw
					out = append(out, *e)
				}
				if !valid {
					break ports
				}
			}
		}
		fn(step.at, out)
	})
}

// bkParseExposed splits [ip:][host:]port[/proto]. It returns nil when the
// port or protocol is unusable (BuildKit fails before linting it), and
// valid false when BuildKit would fail on this port after linting it.
func bkParseExposed(w string) (*bkExposed, bool) {
	e := &bkExposed{expanded: w}
	parts := strings.Split(w, ":")
	var container string
	switch n := len(parts); n {
	case 1:
		container = parts[0]
	case 2:
		e.host, container = parts[0], parts[1]
	default:
		e.ip, e.host, container = strings.Join(parts[:n-2], ":"), parts[n-2], parts[n-1]
	}
	port, proto, _ := strings.Cut(container, "/")
	if port == "" {
		return nil, false
	}
	switch strings.ToLower(proto) {
	case "", "tcp", "udp", "sctp":
	default:
		return nil, false
	}
	e.proto = proto
	ip := e.ip
	if ip != "" && ip[0] == '[' {
		h, _, err := net.SplitHostPort(ip + ":")
		if err != nil {
			return e, false
		}
		ip = h
	}
	if ip != "" && net.ParseIP(ip) == nil {
		return e, false
	}
	start, end, ok := bkPortRange(port)
	if !ok {
		return e, false
	}
	if e.host != "" {
		hs, he, ok := bkPortRange(e.host)
		if !ok || he-hs != end-start && end != start {
			return e, false
		}
	}
	return e, true
}

func bkPortRange(s string) (int, int, bool) {
	a, b, isRange := strings.Cut(s, "-")
	start, err := strconv.ParseUint(a, 10, 16)
	if err != nil || a == "" {
		return 0, 0, false
	}
	if !isRange || a == b {
		return int(start), int(start), true
	}
	end, err := strconv.ParseUint(b, 10, 16)
	if err != nil || end < start {
		return 0, 0, false
	}
	return int(start), int(end), true
}
