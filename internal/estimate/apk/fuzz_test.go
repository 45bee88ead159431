package apk_test

import (
	"bytes"
	"testing"

	"github.com/stratatools/strata/internal/estimate/apk"
	"github.com/stratatools/strata/internal/estimate/estimatetest"
)

func FuzzParseIndexArchive(f *testing.F) {
	f.Add(indexFile(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := apk.ParseIndexArchive(bytes.NewReader(data), 8<<20)
		if err != nil {
			return
		}
		ix := apk.NewIndex()
		var names []string
		for _, p := range ps {
			ix.Add(p)
			names = append(names, p.Name)
		}
		ix.Resolve(names, apk.NewInstalled(nil))
	})
}

func FuzzParseDB(f *testing.F) {
	f.Add([]byte(estimatetest.ApkInstalled()))
	f.Add([]byte("P:a\nD:b>=1 !c so:d\np:e=1\n\nP:b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var ps []*apk.Package
		if err := apk.ParseDB(bytes.NewReader(data), func(p *apk.Package) error { ps = append(ps, p); return nil }); err != nil {
			return
		}
		for _, p := range ps {
			if p.Name == "" || p.InstalledSize < 0 {
				t.Fatalf("parsed %+v", p)
			}
		}
	})
}
