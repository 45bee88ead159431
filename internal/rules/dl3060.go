package rules

import (
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3060 reports yarn install without yarn cache clean.
var DL3060 = &Rule{
	ID:        "DL3060",
	Name:      "yarn-cache-clean",
	Severity:  vocab.Info,
	Category:  vocab.Size,
	Checklist: vocab.SizeCleanCaches,
	Doc: Doc{
		Summary: "yarn cache clean missing after yarn install was run.",
		Why: "yarn keeps a copy of every package it downloads in its cache folder. In an image " +
			"the cache is never reused and only adds size. Run yarn cache clean in the same RUN or " +
			"use a BuildKit cache mount. Build stages nothing ships from are not reported.",
		Bad:  "RUN yarn install --frozen-lockfile",
		Good: "RUN yarn install --frozen-lockfile && yarn cache clean",
		Deviation: "hadolint accepts a yarn cache clean anywhere in the RUN; strata wants it after the " +
			"last install, since a clean before it leaves what the install downloads in the " +
			"layer. Like hadolint, strata reports only stages that ship (the final stage, a stage " +
			"a later FROM builds on) and the instructions before the first FROM when the file has " +
			"no FROM.",
	},
	// Like hadolint, any cache mount is taken to hold yarn's cache: its
	// folder is configurable.
	Check: cleanCheck(cleanSpec{
		fills:         yarnInstall,
		cleaned:       func(s *shell.Script) bool { return s.CleansYarnCache() },
		anyCacheMount: true,
		command:       "yarn cache clean",
		msg:           "`yarn cache clean` missing after `yarn install` was run",
	}),
}

// yarnInstall selects yarn invocations that fill its cache: yarn install,
// yarn add and a bare yarn.
func yarnInstall(op *shellOp) bool {
	return op.Is(shell.ActionInstall, shell.Yarn) && verbIn(op, "install", "add", "", "global add")
}
