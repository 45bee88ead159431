package steptimes

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSaveLoad(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	df := filepath.Join(t.TempDir(), "Dockerfile")
	if r, err := Load(df); r != nil || err != nil {
		t.Fatalf("nothing recorded: %v, %v", r, err)
	}
	when := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := Save(&Record{Dockerfile: df, Recorded: when, Steps: map[string]float64{"RUN make": 12.5}}); err != nil {
		t.Fatal(err)
	}
	r, err := Load(df)
	if err != nil || r == nil || r.Steps["RUN make"] != 12.5 || !r.Recorded.Equal(when) {
		t.Fatalf("loaded %+v, %v", r, err)
	}
	if other, err := Load(filepath.Join(filepath.Dir(df), "other.Dockerfile")); other != nil || err != nil {
		t.Errorf("another Dockerfile's times: %+v, %v", other, err)
	}
	// A damaged file is an error, not a panic.
	dir, _ := Dir()
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Fatalf("%d files in %s", len(ents), dir)
	}
	if err := os.WriteFile(filepath.Join(dir, ents[0].Name()), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(df); err == nil {
		t.Error("a damaged record was read")
	}
}
