package vocab

import (
	"encoding/json"
	"testing"
)

// TestFindingJSON pins the contract: field names, and severity and
// category as their names.
func TestFindingJSON(t *testing.T) {
	f := Finding{File: "Dockerfile", Rule: "DL3002", Name: "last-user-root", Severity: Warning, Category: Security,
		Checklist: "security.non_root", Line: 4, EndLine: 4, Column: 1, Message: "m", Fixable: true}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"file":"Dockerfile","rule":"DL3002","aliases":null,"name":"last-user-root","severity":"warning","category":"security",` +
		`"checklist":"security.non_root","line":4,"end_line":4,"column":1,"message":"m","fixable":true}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
	var back Finding
	if err := json.Unmarshal(b, &back); err != nil || back.Severity != Warning || back.Category != Security || back.Line != 4 {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}
