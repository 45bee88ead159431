// Package e2e holds strata's proof on real builds: its test builds every
// example under examples/ as written and as `strata fix --unsafe` rewrites
// it, on the Docker Engine of scripts/test-env.sh, runs both images, and
// compares their sizes and how well a rebuild after a source change uses
// the layer cache.
//
// Run it with:
//
//	scripts/test-env.sh run -- go test -count=1 -run E2E -v ./internal/fix/e2e/
package e2e
