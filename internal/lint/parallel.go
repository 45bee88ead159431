package lint

import (
	"context"
	"runtime"
	"sync"

	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/rules"
)

// fileLint is the outcome of linting one file of a run.
type fileLint struct {
	fo     *FileOutcome
	fr     report.FileResult
	failed bool
	err    error
}

// lintFiles lints the files of the request several at a time and returns
// their outcomes in Paths order. srcs holds the bytes of the files read
// already (standard input), nil for the others. The CPU work runs on at
// most GOMAXPROCS threads; when shellcheck runs, more files than that are
// in flight so that, while some wait for it, others go on and their
// scripts join the next shellcheck process (the fewer the processes, the
// less time spent starting them). Without it, as many files as threads
// are in flight: each holds memory while it is.
func lintFiles(ctx context.Context, req Request, srcs [][]byte) []fileLint {
	out := make([]fileLint, len(req.Paths))
	workers := runtime.GOMAXPROCS(0)
	if shellcheckUsed(req) {
		workers *= 16
	}
	workers = min(len(req.Paths), workers)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fl := &out[i]
				fl.fo, fl.fr, fl.failed, fl.err = Source(ctx, req.Paths[i], srcs[i], req)
				if fl.fo != nil {
					fl.fo.Path = req.Paths[i]
					if req.ReportOnly {
						fl.fo = &FileOutcome{Path: req.Paths[i]}
					}
				}
			}
		}()
	}
	for i := range req.Paths {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// shellcheckUsed reports whether the run's files may run shellcheck: it is
// installed and SD002 is not ignored on the command line.
func shellcheckUsed(req Request) bool {
	for _, n := range req.Ignore {
		if rules.SD002.Matches(n) {
			return false
		}
	}
	return req.shellcheck != nil && req.shellcheck.Available()
}
