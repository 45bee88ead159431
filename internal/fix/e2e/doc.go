// Package e2e holds strata's proof on real builds: its test builds every
// example under examples/ as written and as `strata fix --unsafe` rewrites
// it, on the Docker Engine of scripts/test-env.sh, one build at a time,
// runs the images, and checks the course's targets: the fixed image at
// least 70% smaller, its dependency layers reused after a source change,
// and that rebuild at most half as long as the original's where the
// original installs dependencies again. TestE2EVariants does the same for the apps under
// testdata/, which install their toolchain or runtime with Debian's
// package manager (golang-go in the RUN that builds, nodejs and npm with
// npm-registry dependencies and a VOLUME the app writes, python3-flask
// with a SQLite file the app writes): each fixed Dockerfile must build
// and its app answer, as the user the fix adds.
//
// It is part of the default suite (scripts/test.sh). Run it alone with:
//
//	scripts/test.sh -run E2E -v ./internal/fix/e2e/
//
// (-run E2EVariants for the variants alone). The builds fetch Debian
// and npm packages: the engine needs the network.
//
// Without an engine it fails when CI=true and is skipped otherwise, as
// every engine test of internal/testenv.
package e2e
