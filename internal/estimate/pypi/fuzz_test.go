package pypi_test

import (
	"testing"

	"github.com/stratatools/strata/internal/estimate/pypi"
)

func FuzzParseRequirementsFile(f *testing.F) {
	f.Add([]byte("flask==3.0.0\nrequests[socks]>=2 ; python_version>'3'\n-r x.txt\nfoo \\\n  ==1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		reqs, _, _ := pypi.ParseRequirementsFile(data)
		for _, r := range reqs {
			if r.Name == "" {
				t.Fatalf("a requirement without a name: %+v", r)
			}
		}
	})
}
