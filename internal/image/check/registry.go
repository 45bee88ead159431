package check

import "sort"

// All returns every image rule, ordered by ID. Each call builds fresh
// values.
func All() Set {
	var rules Set
	for _, family := range [][]Rule{
		wasteRules(),     // SI001-SI004, si00x_waste.go
		cacheRules(),     // SI010-SI017, SI022, si01x_cache.go
		toolchainRules(), // SI020-SI021, si02x_toolchain.go
		securityRules(),  // SI030-SI032, si03x_security.go
		secretRules(),    // SI033-SI035, si03x_secrets.go
		configRules(),    // SI040, si04x_config.go
		sizeRules(),      // SI050-SI051, si05x_largest.go
	} {
		rules = append(rules, family...)
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules
}
