package rules

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/layercache"
)

// TestShellCheckKeepsResults checks that findings kept by one run are
// used by the next instead of running shellcheck on the same scripts
// again, and that they are not when the program changes or failed.
func TestShellCheckKeepsResults(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	store := t.TempDir()
	log := filepath.Join(t.TempDir(), "log")
	// The fake reports one finding per script, naming its last line, and
	// logs how many scripts it read.
	body := `n=0; printf '{"comments":['; sep=
for a; do case $a in *.sh) n=$((n+1)); printf '%s{"file":"%s","line":2,"endLine":2,"column":1,"endColumn":5,"level":"warning","code":2086,"message":"%s"}' "$sep" "$a" "$(tail -n 1 "$a")"; sep=,;; esac; done
printf ']}'; echo "$n" >>` + log
	prog := fakeShellcheck(t, body)
	other := fakeShellcheck(t, body+"\n# another version")
	broken := fakeShellcheck(t, "echo not json; echo 1 >>"+log)

	read := func() int { // scripts read so far
		b, _ := os.ReadFile(log)
		n := 0
		for _, f := range strings.Fields(string(b)) {
			k, _ := strconv.Atoi(f)
			n += k
		}
		return n
	}
	check := func(prog string, texts []string) ([][]scComment, []error) {
		sc := fakeShellCheck(t, prog, nil, time.Minute)
		sc.KeepResults(func() (ResultStore, error) {
			return layercache.Open(layercache.Options{Dir: store, Namespace: "shellcheck"})
		})
		var found [][]scComment
		var errs []error
		for _, in := range sc.submit(texts) {
			cs, err := in.wait(context.Background())
			found, errs = append(found, cs), append(errs, err)
		}
		sc.Close()
		return found, errs
	}
	texts := []string{"#!/bin/sh\necho one\n", "#!/bin/bash\necho two\n", "#!/bin/sh\n: clean\n"}
	first, _ := check(prog, texts)
	if got := read(); got != 3 {
		t.Fatalf("the first run read %d scripts, want 3", got)
	}
	again, _ := check(prog, texts)
	if got := read(); got != 3 {
		t.Fatalf("after the second run %d scripts read, want 3: the kept findings were not used", got)
	}
	for i := range texts {
		if fmt.Sprint(first[i]) != fmt.Sprint(again[i]) || len(again[i]) != 1 || again[i][0].Line != 2 {
			t.Errorf("script %d: first run %+v, from the store %+v", i, first[i], again[i])
		}
	}
	// A file whose scripts changed is checked again, whole.
	changed, _ := check(prog, []string{texts[0], "#!/bin/sh\necho four\n"})
	if got := read(); got != 5 {
		t.Fatalf("after a changed file %d scripts read, want 5", got)
	}
	if len(changed[1]) != 1 || changed[1][0].Message != "echo four" {
		t.Errorf("the new script's findings %+v", changed[1])
	}
	// Another program (an upgrade) checks everything again.
	check(other, texts)
	if got := read(); got != 8 {
		t.Fatalf("after a run with another program %d scripts read, want 8", got)
	}
	// A failed run keeps nothing: the next run checks the script again.
	for round := range 2 {
		found, errs := check(broken, []string{"#!/bin/sh\necho five\n"})
		if errs[0] == nil || found[0] != nil {
			t.Fatalf("round %d: the broken program's output was taken: %+v", round, found[0])
		}
		if got := read(); got != 9+round {
			t.Fatalf("round %d: %d scripts read, want %d", round, got, 9+round)
		}
	}
}
