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
		{"skip=All", checkOptions{skip: []string{"All"}}},
		{"skip=A;Skip=B", checkOptions{}}, // keys are case-sensitive: invalid
		{"skip=A;bogus=1", checkOptions{}},
		{"skip = A", checkOptions{}}, // the directive ends at the first space: "skip" is invalid
		{"skip=A ;error=true", checkOptions{skip: []string{"A"}}},
		{"skip=A, B", checkOptions{skip: []string{"A"}}},
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
	type want struct {
		kind  pragmaKind
		names []string
	}
	for _, c := range []struct {
		text string
		want *want // nil: not a pragma
	}{
		{"hadolint ignore=DL3008,DL3015", &want{pragmaLine, []string{"DL3008", "DL3015"}}},
		{"hadolint ignore = DL3008 , DL3015", &want{pragmaLine, []string{"DL3008", "DL3015"}}},
		{"\thadolint\tignore=DL3008", &want{pragmaLine, []string{"DL3008"}}},
		{"hadolint ignore=DL3002 # the image is a root toolbox", &want{pragmaLine, []string{"DL3002"}}},
		{"hadolint ignore=DL3002 #", &want{pragmaLine, []string{"DL3002"}}},
		{"hadolint ignore=DL3002 ", &want{pragmaLine, []string{"DL3002"}}},
		{"hadolint ignore=DL3002,SC2086#why", &want{pragmaLine, []string{"DL3002", "SC2086"}}},
		{"hadolint ignore=DL3002 # a, DL3003", &want{pragmaLine, []string{"DL3002"}}},
		{"hadolint global ignore=DL3059", &want{pragmaGlobal, []string{"DL3059"}}},
		{"hadolint global  ignore = DL3023 , DL3021", &want{pragmaGlobal, []string{"DL3023", "DL3021"}}},
		{"hadolint stage ignore=DL3004 # builder only", &want{pragmaStage, []string{"DL3004"}}},
		{"strata ignore=DL3008, DL3015", &want{pragmaLine, []string{"DL3008", "DL3015"}}},
		{"strata ignore=JSONArgsRecommended,sd501", &want{pragmaLine, []string{"JSONArgsRecommended", "sd501"}}},
		{"strata global ignore=DL3059", &want{pragmaGlobal, []string{"DL3059"}}},
		{"strata stage ignore=SD501", &want{pragmaStage, []string{"SD501"}}},
		// Not pragmas: nothing is ignored.
		{"hadolint ignore=crazy,DL3002", nil},
		{"hadolint ignore=DL3002crazy", nil},
		{"hadolint ignore=DL3002 crazy", nil},
		{"hadolint ignore=dl3002", nil},
		{"HADOLINT IGNORE=DL3002", nil},
		{"hadolint Ignore=DL3002", nil},
		{"hadolintignore=DL3002", nil},
		{"hadolint globalignore=DL3002", nil},
		{"hadolint ignore=", nil},
		{"hadolint ignore=DL3002,", nil},
		{"hadolint ignore DL3002", nil},
		{"hadolint shell=powershell # foobar", nil},
		{"strata ignore=DL3008;DL3015", nil},
		{"some other comment", nil},
	} {
		kind, names, ok := parsePragma(c.text)
		if c.want == nil {
			if ok {
				t.Errorf("parsePragma(%q) = %v %v, want no pragma", c.text, kind, names)
			}
			continue
		}
		var got []string
		for _, n := range names {
			got = append(got, n.name)
		}
		if !ok || kind != c.want.kind || !reflect.DeepEqual(got, c.want.names) {
			t.Errorf("parsePragma(%q) = %v %v %v, want %v %v", c.text, kind, got, ok, c.want.kind, c.want.names)
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
