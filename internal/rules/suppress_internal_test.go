package rules

import (
	"reflect"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
)

func TestParseCheckDirective(t *testing.T) {
	for _, c := range []struct {
		in   string
		want checkOptions
	}{
		{"skip=A,B;error=true", checkOptions{skip: []string{"A", "B"}, errorOn: true}},
		{"skip=A note", checkOptions{skip: []string{"A"}}},
		{"skip=all", checkOptions{skipAll: true}},
		{"skip=all,Foo", checkOptions{skip: []string{"all", "Foo"}}},
		{"error=1", checkOptions{errorOn: true}},
		{"error=maybe", checkOptions{}},
		{"experimental=InvalidDefinitionDescription", checkOptions{experimental: []string{"InvalidDefinitionDescription"}}},
	} {
		if got := parseCheckDirective(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("parseCheckDirective(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestPragmas(t *testing.T) {
	for _, c := range []struct {
		text   string
		global bool
		want   []string
	}{
		{"hadolint ignore=DL3008,DL3015", false, []string{"DL3008", "DL3015"}},
		{"strata ignore=DL3008, DL3015", false, []string{"DL3008", "DL3015"}},
		{"strata global ignore=DL3059", true, []string{"DL3059"}},
		{"hadolint global ignore=DL3059", false, nil},
		{"strata ignore=DL3008", true, nil},
		{"some other comment", false, nil},
		{"strata ignore=", false, nil},
	} {
		got, _ := pragma(c.text, c.global)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("pragma(%q, %v) = %v, want %v", c.text, c.global, got, c.want)
		}
	}
}

func TestPerInstructionCheckComment(t *testing.T) {
	f, err := dockerfile.Parse("Dockerfile", []byte("FROM alpine:3.20\n# Check = skip=JSONArgsRecommended\n# check=skip=Other\nCMD echo hi\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := readSuppressions(f)
	if got := s.checkByLine[4]; !reflect.DeepEqual(got, []string{"JSONArgsRecommended"}) {
		t.Fatalf("per-instruction skip = %v (only the first check comment counts)", got)
	}
}
