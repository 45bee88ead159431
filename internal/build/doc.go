// Package build is strata's Docker Engine client: it connects (Connect),
// builds Dockerfiles through the Engine API with BuildKit (a session
// serving the build context over the Engine's /session endpoint, progress
// decoded from BuildKit's status messages) or the classic builder, runs
// containers to time their start-up, and records everything it creates so
// that a Tracker removes it afterwards, also after a failure or Ctrl-C.
package build
