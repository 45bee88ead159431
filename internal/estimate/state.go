package estimate

import (
	"maps"
	"path"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/estimate/apk"
	"github.com/stratatools/strata/internal/estimate/baseimage"
	"github.com/stratatools/strata/internal/estimate/deb"
)

// stageState is what the estimate knows of a stage's file system as its
// instructions are walked.
type stageState struct {
	st    *dockerfile.Stage
	facts *baseimage.Facts
	// os is the distribution; osGuessed when it comes from the base
	// image's name rather than its files.
	os        baseimage.OSRelease
	osGuessed bool
	deb       debState
	apk       apkState
	tree      *tree
	env       map[string]string
	// dirs are the directories known to exist (WORKDIRs, folders copied
	// in): a COPY into one of them keeps the file's name.
	dirs  map[string]bool
	steps []Step
	size  Range
}

// debState is apt's and dpkg's state in the stage.
type debState struct {
	// installed is the packages present; nil until known (the base's
	// status file, or assumed from the index when it could not be read).
	installed *deb.Installed
	assumed   bool
	// lists is true when an earlier layer holds the package lists.
	lists bool
	cfg   baseimage.AptConfig
	// slim is true when dpkg leaves out documentation, man pages and
	// locales (path-exclude).
	slim bool
	// statusSize is dpkg's status file's size; debconf the size of
	// debconf's caches, which each install rewrites.
	statusSize, debconf int64
	// configured is true once a layer of the stage has configured
	// packages (debconf's -old copies exist).
	configured bool
}

// apkState is apk's state in the stage.
type apkState struct {
	installed *apk.Installed
	// cached is true when /var/cache/apk holds the indexes.
	cached bool
}

func newStageState(st *dockerfile.Stage, f *baseimage.Facts) *stageState {
	s := &stageState{st: st, facts: f, tree: &tree{}, env: map[string]string{}, dirs: map[string]bool{}}
	for _, d := range standardDirs {
		s.dirs[d] = true
	}
	if f == nil {
		return s
	}
	for _, kv := range f.Env {
		if k, v, ok := cut(kv, "="); ok {
			s.env[k] = v
		}
	}
	if f.FilesRead {
		s.os = f.OS
		s.deb.cfg = f.Apt
		s.deb.slim = len(f.DpkgExcludes) > 0
		if f.OS.IsDebian() || len(f.Dpkg) > 0 {
			s.deb.installed = deb.NewInstalled(f.Dpkg)
		}
		if f.OS.IsAlpine() || len(f.Apk) > 0 {
			s.apk.installed = apk.NewInstalled(f.Apk)
		}
		s.deb.statusSize = f.Sizes["var/lib/dpkg/status"]
		s.deb.debconf = f.Sizes["var/cache/debconf/config.dat"] + f.Sizes["var/cache/debconf/templates.dat"]
	} else {
		s.os, s.osGuessed = guessOS(f.Ref), true
		s.deb.assumed = true
		s.deb.cfg = assumedAptConfig(s.os)
		s.deb.slim = isSlimName(f.Ref)
	}
	return s
}

// derive starts a stage built FROM this one.
func (s *stageState) derive(st *dockerfile.Stage) *stageState {
	c := *s
	c.st = st
	c.tree = s.tree.clone()
	c.env = maps.Clone(s.env)
	c.dirs = maps.Clone(s.dirs)
	c.steps = nil
	c.size = Range{}
	if s.deb.installed != nil {
		c.deb.installed = s.deb.installed.Clone()
	}
	if s.apk.installed != nil {
		c.apk.installed = s.apk.installed.Clone()
	}
	return &c
}

// standardDirs exist in every Linux image that has a file system layout.
var standardDirs = []string{"/", "/bin", "/sbin", "/etc", "/home", "/lib", "/opt", "/root", "/srv", "/tmp", "/usr", "/usr/bin", "/usr/sbin",
	"/usr/lib", "/usr/local", "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib", "/usr/local/share", "/usr/share", "/var", "/var/lib", "/var/www"}

// addDir records that p and its parents are directories.
func (s *stageState) addDir(p string) {
	for p != "/" && p != "." && p != "" {
		s.dirs[p] = true
		p = path.Dir(p)
	}
}

func cut(s, sep string) (string, string, bool) {
	for i := 0; i+len(sep) <= len(s); i++ {
		if s[i:i+len(sep)] == sep {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}
