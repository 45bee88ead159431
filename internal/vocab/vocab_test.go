package vocab

import (
	"errors"
	"fmt"
	"testing"
)

func TestSeverityRoundTrip(t *testing.T) {
	for _, s := range []Severity{Ignore, Style, Info, Warning, Error} {
		var got Severity
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		if err := got.UnmarshalText(b); err != nil {
			t.Fatalf("%v: %v", s, err)
		}
		if got != s {
			t.Errorf("round trip of %v gave %v", s, got)
		}
	}
	for in, want := range map[string]Severity{"WARN": Warning, " off ": Ignore, "Error": Error} {
		if got, err := ParseSeverity(in); err != nil || got != want {
			t.Errorf("ParseSeverity(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error("ParseSeverity(fatal) accepted an unknown name")
	}
	if !(Error > Warning && Warning > Info && Info > Style && Style > Ignore) {
		t.Error("severities are not ordered")
	}
}

func TestInputError(t *testing.T) {
	base := errors.New("boom")
	err := fmt.Errorf("reading x: %w", Inputf("Dockerfile:3: %w", base))
	if !IsInput(err) {
		t.Fatal("IsInput missed a wrapped InputError")
	}
	if !errors.Is(err, base) {
		t.Fatal("InputError does not unwrap")
	}
	if IsInput(base) {
		t.Fatal("IsInput took a plain error for input")
	}
}

func TestFormatSize(t *testing.T) {
	for in, want := range map[int64]string{
		0: "0 B", 999: "999 B", 1000: "1.00 kB", 141_000_000: "141 MB", 14_100_000: "14.1 MB",
		1_410_000_000: "1.41 GB", 999_999: "1.00 MB", 1 << 20: "1.05 MB", -1500: "-1.50 kB",
	} {
		if got := FormatSize(in); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatCount(t *testing.T) {
	for in, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 5891: "5,891", 1234567: "1,234,567", -2500: "-2,500"} {
		if got := FormatCount(in); got != want {
			t.Errorf("FormatCount(%d) = %q, want %q", in, got, want)
		}
	}
}
