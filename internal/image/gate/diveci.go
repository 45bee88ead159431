package gate

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/stratatools/strata/internal/vocab"
)

// ParseDiveCI reads dive's CI configuration (.dive-ci):
//
//	rules:
//	  lowestEfficiency: 0.95          # ratio 0..1
//	  highestWastedBytes: 20MB        # humanized bytes (MB = 10^6)
//	  highestUserWastedPercent: 0.20  # ratio 0..1
//
// A value of "disabled" turns a rule off; a rule not listed is not
// checked. It returns the gate and warnings about keys it does not know.
func ParseDiveCI(data []byte) (Gate, []string, error) {
	var doc struct {
		Rules map[string]yaml.Node `yaml:"rules"`
	}
	var g Gate
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return g, nil, fmt.Errorf("parsing dive CI config: %w", err)
	}
	var warnings []string
	keys := make([]string, 0, len(doc.Rules))
	for k := range doc.Rules {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		node := doc.Rules[k]
		if node.Kind != yaml.ScalarNode {
			return g, nil, fmt.Errorf("dive CI config: rules.%s: expected a single value", k)
		}
		v := strings.TrimSpace(node.Value)
		if strings.EqualFold(v, "disabled") {
			continue
		}
		switch k {
		case "lowestEfficiency":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				return g, nil, fmt.Errorf("dive CI config: rules.lowestEfficiency %q: expected a ratio from 0 to 1", v)
			}
			g.MinEfficiency = Float64(f)
		case "highestWastedBytes":
			b, err := ParseSize(v)
			if err != nil {
				return g, nil, fmt.Errorf("dive CI config: rules.highestWastedBytes: %w", err)
			}
			g.MaxWastedBytes = Int64(b)
		case "highestUserWastedPercent":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 {
				return g, nil, fmt.Errorf("dive CI config: rules.highestUserWastedPercent %q: expected a ratio (0.1 is 10%%)", v)
			}
			g.MaxUserWastedPercent = Float64(f * 100)
		default:
			warnings = append(warnings, fmt.Sprintf("dive CI config: unknown rule %q ignored", k))
		}
	}
	return g, warnings, nil
}

// LoadDiveCI reads a .dive-ci file. A missing file is reported with
// os.ErrNotExist; any other problem is bad input (vocab.InputError).
func LoadDiveCI(path string) (Gate, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Gate{}, nil, err
		}
		return Gate{}, nil, vocab.Inputf("reading %s: %w", path, err)
	}
	g, w, err := ParseDiveCI(data)
	if err != nil {
		return g, w, vocab.Inputf("%s: %w", path, err)
	}
	return g, w, nil
}
