// Package deb is strata estimate's size source for Debian and Ubuntu:
// it reads the archive's Release files (the sizes of the index files
// `apt-get update` stores) and Packages files (each package's
// Installed-Size, .deb size and dependencies), dpkg's status file (what a
// base image has installed) and apt's sources, fetches the indexes from
// the mirror a base image uses (cached in the user cache folder), and
// resolves an `apt-get install` the way apt does: the requested packages
// and their dependency closure that is not installed yet, with or
// without the recommended packages.
package deb
