package npm

import (
	"strconv"
	"strings"
)

// version is a semantic version.
type version struct {
	major, minor, patch int
	pre                 string
	ok                  bool
}

func parseVersion(s string) version {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	s = strings.TrimPrefix(s, "=")
	if i := strings.IndexByte(s, '+'); i >= 0 {
		s = s[:i]
	}
	var v version
	core := s
	if i := strings.IndexByte(s, '-'); i >= 0 {
		core, v.pre = s[:i], s[i+1:]
	}
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return version{}
	}
	nums := [3]int{}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return version{}
		}
		nums[i] = n
	}
	v.major, v.minor, v.patch, v.ok = nums[0], nums[1], nums[2], true
	return v
}

func (a version) compare(b version) int {
	for _, d := range [][2]int{{a.major, b.major}, {a.minor, b.minor}, {a.patch, b.patch}} {
		if d[0] != d[1] {
			if d[0] < d[1] {
				return -1
			}
			return 1
		}
	}
	switch {
	case a.pre == b.pre:
		return 0
	case a.pre == "":
		return 1
	case b.pre == "":
		return -1
	}
	return comparePre(a.pre, b.pre)
}

func comparePre(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		an, aerr := strconv.Atoi(as[i])
		bn, berr := strconv.Atoi(bs[i])
		switch {
		case aerr == nil && berr == nil:
			if an != bn {
				if an < bn {
					return -1
				}
				return 1
			}
		case aerr == nil:
			return -1
		case berr == nil:
			return 1
		default:
			if c := strings.Compare(as[i], bs[i]); c != 0 {
				return c
			}
		}
	}
	switch {
	case len(as) < len(bs):
		return -1
	case len(as) > len(bs):
		return 1
	}
	return 0
}

// comparator is one "op version" condition.
type comparator struct {
	op string // ">=", ">", "<", "<=", "="
	v  version
}

func (c comparator) match(v version) bool {
	d := v.compare(c.v)
	switch c.op {
	case ">=":
		return d >= 0
	case ">":
		return d > 0
	case "<":
		return d < 0
	case "<=":
		return d <= 0
	}
	return d == 0
}

// partial parses "1", "1.2", "1.2.3", "1.x", "*" into its numbers; n is
// how many were given (0 for a wildcard).
func partial(s string) (nums [3]int, pre string, n int, ok bool) {
	s = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "v"), "=")
	if i := strings.IndexByte(s, '+'); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, '-'); i >= 0 {
		s, pre = s[:i], s[i+1:]
	}
	if s == "" || s == "*" || s == "x" || s == "X" {
		return nums, "", 0, true
	}
	for i, p := range strings.Split(s, ".") {
		if i >= 3 {
			return nums, "", 0, false
		}
		if p == "x" || p == "X" || p == "*" {
			return nums, "", i, true
		}
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return nums, "", 0, false
		}
		nums[i] = v
		n = i + 1
	}
	return nums, pre, n, true
}

func ver(n [3]int, pre string) version { return version{n[0], n[1], n[2], pre, true} }

// expand turns one range term ("^1.2.3", "~1.2", "1.x", ">=1.2 <2") into
// comparators.
func expand(term string) ([]comparator, bool) {
	term = strings.TrimSpace(term)
	if term == "" || term == "*" || term == "latest" || term == "x" {
		return nil, true
	}
	if a, b, ok := strings.Cut(term, " - "); ok {
		lo, lpre, _, ok1 := partial(a)
		hi, hpre, hn, ok2 := partial(b)
		if !ok1 || !ok2 {
			return nil, false
		}
		out := []comparator{{">=", ver(lo, lpre)}}
		if hn == 3 {
			out = append(out, comparator{"<=", ver(hi, hpre)})
		} else if hn > 0 {
			hi[hn-1]++
			for i := hn; i < 3; i++ {
				hi[i] = 0
			}
			out = append(out, comparator{"<", ver(hi, "0")})
		}
		return out, true
	}
	var out []comparator
	for _, w := range strings.Fields(term) {
		op := ""
		for _, p := range []string{">=", "<=", ">", "<", "=", "^", "~"} {
			if strings.HasPrefix(w, p) {
				op, w = p, w[len(p):]
				break
			}
		}
		nums, pre, n, ok := partial(w)
		if !ok {
			return nil, false
		}
		switch op {
		case "^":
			lo := ver(nums, pre)
			hi := nums
			switch {
			case n == 0:
				continue
			case nums[0] > 0 || n == 1:
				hi = [3]int{nums[0] + 1, 0, 0}
			case nums[1] > 0 || n == 2:
				hi = [3]int{0, nums[1] + 1, 0}
			default:
				hi = [3]int{0, 0, nums[2] + 1}
			}
			out = append(out, comparator{">=", lo}, comparator{"<", ver(hi, "0")})
		case "~":
			lo := ver(nums, pre)
			hi := [3]int{nums[0], nums[1] + 1, 0}
			if n <= 1 {
				hi = [3]int{nums[0] + 1, 0, 0}
			}
			out = append(out, comparator{">=", lo}, comparator{"<", ver(hi, "0")})
		case "", "=":
			if n == 3 {
				out = append(out, comparator{"=", ver(nums, pre)})
				continue
			}
			if n == 0 {
				continue
			}
			hi := nums
			hi[n-1]++
			for i := n; i < 3; i++ {
				hi[i] = 0
			}
			out = append(out, comparator{">=", ver(nums, "")}, comparator{"<", ver(hi, "0")})
		default:
			out = append(out, comparator{op, ver(nums, pre)})
		}
	}
	return out, true
}

// maxSatisfying returns the newest of versions that the npm range rng
// accepts (pre-releases only when the range names one), or "".
func maxSatisfying(versions []string, rng string) string {
	var sets [][]comparator
	for _, alt := range strings.Split(rng, "||") {
		cs, ok := expand(alt)
		if !ok {
			return ""
		}
		sets = append(sets, cs)
	}
	best, bestS := version{}, ""
	for _, s := range versions {
		v := parseVersion(s)
		if !v.ok {
			continue
		}
		for _, cs := range sets {
			if v.pre != "" && !allowsPre(cs, v) {
				continue
			}
			ok := true
			for _, c := range cs {
				if !c.match(v) {
					ok = false
					break
				}
			}
			if ok && (bestS == "" || v.compare(best) > 0) {
				best, bestS = v, s
			}
		}
	}
	return bestS
}

// allowsPre: a pre-release matches only a range with a pre-release of the
// same major.minor.patch.
func allowsPre(cs []comparator, v version) bool {
	for _, c := range cs {
		if c.v.pre != "" && c.v.pre != "0" && c.v.major == v.major && c.v.minor == v.minor && c.v.patch == v.patch {
			return true
		}
	}
	return false
}
