// Package proof holds strata estimate's proof on real builds: its test
// estimates every example under examples/ and the `strata fix --unsafe`
// output of each, then builds each on the Docker Engine of
// scripts/test-env.sh as strata measure does (BuildKit, no cache, host
// network) and compares the estimate with the size the Engine reports
// for the image, the figure strata measure gives: each must be within
// ±20%, and inside the estimate's range. The estimates use the real
// sources: the Engine's base images and Debian's mirror.
//
//	STRATA_CACHE=/root/.cache/strata-est STRATA_TEST_RACE=0 scripts/test.sh -run Estimate -v ./internal/estimate/proof/
//
// STRATA_ESTIMATE_REPORT=FILE also writes the README's table to FILE.
// Without an engine, or without Debian's mirror, it fails when CI=true
// and is skipped otherwise.
package proof
