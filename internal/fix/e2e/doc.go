// Package e2e holds strata's proof on real builds: its test builds every
// example under examples/ as written and as `strata fix --unsafe` rewrites
// it, on the Docker Engine of scripts/test-env.sh, runs both images, and
// compares their sizes and how well a rebuild after a source change uses
// the layer cache.
//
// It is part of the default suite (scripts/test.sh). Run it alone with:
//
//	scripts/test.sh -run E2E -v ./internal/fix/e2e/
//
// Without an engine it fails when CI=true and is skipped otherwise, as
// every engine test of internal/testenv.
package e2e
