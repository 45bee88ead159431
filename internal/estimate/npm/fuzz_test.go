package npm

import "testing"

func FuzzParseLock(f *testing.F) {
	f.Add([]byte(`{"lockfileVersion":3,"packages":{"":{},"node_modules/a":{"version":"1.0.0","dev":true},"node_modules/a/node_modules/b":{"version":"2.0.0"}}}`))
	f.Add([]byte(`{"lockfileVersion":1,"dependencies":{"a":{"version":"1.0.0","dependencies":{"b":{"version":"1.0.0"}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseLock(data)
		if err != nil {
			return
		}
		for _, p := range l.Packages {
			if p.Name == "" || p.Version == "" {
				t.Fatalf("a package without name or version: %+v", p)
			}
		}
	})
}

func FuzzMaxSatisfying(f *testing.F) {
	f.Add("^1.2.3 || >=2.0.0-rc.1 <3", "1.2.4")
	f.Fuzz(func(t *testing.T, rng, v string) {
		got := maxSatisfying([]string{v, "1.0.0", "2.0.0"}, rng)
		if got != "" && got != v && got != "1.0.0" && got != "2.0.0" {
			t.Fatalf("maxSatisfying returned %q, not one of the versions", got)
		}
	})
}
