package shell_test

import (
	"fmt"

	"github.com/stratatools/strata/internal/shell"
)

func Example() {
	s, err := shell.Parse(`apt-get update && sudo apt-get install -qy --no-install-recommends curl=8.5.0-2 \
  && pip install --no-cache-dir -r requirements.txt flask==3.0 \
  && rm -rf /var/lib/apt/lists/*`)
	if err != nil {
		fmt.Println("not analysable:", err)
		return
	}
	for _, op := range s.PackageOps() {
		fmt.Println(op.Manager, op.Action, op.PackageNames(), "yes:", op.AssumesYes(), "norec:", op.NoRecommends(), "nocache:", op.NoCache())
	}
	fmt.Println("sudo:", s.UsesSudo(), "lists cleaned:", s.CleansAptLists())
	// Output:
	// apt-get update [] yes: false norec: false nocache: false
	// apt-get install [curl] yes: true norec: true nocache: false
	// pip install [flask] yes: true norec: false nocache: true
	// sudo: true lists cleaned: true
}

func ExampleParseError() {
	_, err := shell.Parse("echo ok\napt-get install (")
	if pe, ok := err.(*shell.ParseError); ok {
		fmt.Println(pe.Line, pe.Col)
	}
	// Output:
	// 2 17
}

func ExampleIsPOSIXShell() {
	fmt.Println(shell.IsPOSIXShell([]string{"/bin/bash", "-o", "pipefail", "-c"}), shell.ShellHasPipefail([]string{"/bin/bash", "-o", "pipefail", "-c"}))
	fmt.Println(shell.IsPOSIXShell([]string{"powershell", "-Command"}))
	// Output:
	// true true
	// false
}
