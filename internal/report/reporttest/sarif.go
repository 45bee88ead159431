package reporttest

// SARIF schema validation.
//
// The official SARIF 2.1.0 JSON schema belongs to another project, so this
// repository does not keep a copy. SARIFSchemas obtains it at run time
// from the npm registry with the ordinary npm client (`npm pack
// PACKAGE@VERSION`, then the one file is read out of the tarball), and the
// tests validate strata's SARIF with github.com/santhosh-tekuri/jsonschema/v6
// against each of:
//
//   - sarif-2.1.0.json from @microsoft/sarif-multitool-linux@5.7.0: the
//     SARIF SDK's copy of the current 2.1.0 schema, with the OASIS
//     errata 01 changes (JSON Schema 2020-12). The package is large
//     (about 44 MB) because it also ships the multitool binary;
//   - lib/schemas/sarif-2.1.0-rtm.5.json from @microsoft/jest-sarif@1.0.0-beta.0:
//     the 2.1.0 schema in its rtm.5 revision (JSON Schema draft-04).
//
// Each file must match a pinned SHA-256 and is then cached under the user
// cache directory (strata-test/sarif-schema), so later runs need no
// network. To use a local copy instead, for example the OASIS
// sarif-schema-2.1.0.json, set STRATA_SARIF_SCHEMA to its path; it is then
// the only schema used and is not checked against a hash.
//
// When a schema cannot be obtained (no npm, no registry) the test skips,
// except under CI=true, where it fails.

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

type sarifSchemaSource struct {
	name   string // subtest name
	pkg    string // npm package@version
	member string // path inside the package tarball
	sha256 string // of the schema file
}

func sarifSchemaSources() []sarifSchemaSource {
	return []sarifSchemaSource{
		{
			name:   "errata01",
			pkg:    "@microsoft/sarif-multitool-linux@5.7.0",
			member: "package/sarif-2.1.0.json",
			sha256: "1c49a0f2b60444c71bb14878e21e0d882198eff4c539861b133093ad89ed798c",
		},
		{
			name:   "rtm.5",
			pkg:    "@microsoft/jest-sarif@1.0.0-beta.0",
			member: "package/lib/schemas/sarif-2.1.0-rtm.5.json",
			sha256: "2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8",
		},
	}
}

// SARIFSchemas calls check with a function that validates a SARIF log
// against the schema, once for each schema (a subtest each), or once for
// the file STRATA_SARIF_SCHEMA names.
func SARIFSchemas(t *testing.T, check func(t *testing.T, validate func(log []byte) error)) {
	if path := os.Getenv("STRATA_SARIF_SCHEMA"); path != "" {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("STRATA_SARIF_SCHEMA: %v", err)
		}
		check(t, validator(compileSARIFSchema(t, raw)))
		return
	}
	for _, src := range sarifSchemaSources() {
		t.Run(src.name, func(t *testing.T) {
			raw, err := loadSARIFSchema(t, src)
			if err != nil {
				if os.Getenv("CI") == "true" {
					t.Fatalf("cannot obtain the SARIF schema from npm package %s: %v", src.pkg, err)
				}
				t.Skipf("cannot obtain the SARIF schema from npm package %s (set STRATA_SARIF_SCHEMA to a local copy): %v", src.pkg, err)
			}
			check(t, validator(compileSARIFSchema(t, raw)))
		})
	}
}

// validator validates a SARIF log, JSON, against sch.
func validator(sch *jsonschema.Schema) func(log []byte) error {
	return func(log []byte) error {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(log))
		if err != nil {
			return fmt.Errorf("not JSON: %w", err)
		}
		return sch.Validate(inst)
	}
}

func compileSARIFSchema(t *testing.T, raw []byte) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse SARIF schema: %v", err)
	}
	const loc = "https://strata.invalid/sarif-schema-2.1.0.json"
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(loc, doc); err != nil {
		t.Fatalf("add SARIF schema: %v", err)
	}
	sch, err := c.Compile(loc)
	if err != nil {
		t.Fatalf("compile SARIF schema: %v", err)
	}
	return sch
}

// loadSARIFSchema returns the schema file of src from the cache, or fetches
// it with npm and caches it.
func loadSARIFSchema(t *testing.T, src sarifSchemaSource) ([]byte, error) {
	t.Helper()
	var cached string
	if dir, err := os.UserCacheDir(); err == nil {
		cached = filepath.Join(dir, "strata-test", "sarif-schema", src.sha256+".json")
		if raw, err := os.ReadFile(cached); err == nil && sha256Hex(raw) == src.sha256 {
			return raw, nil
		}
	}
	raw, err := fetchNPMFile(t, src.pkg, src.member)
	if err != nil {
		return nil, err
	}
	if got := sha256Hex(raw); got != src.sha256 {
		return nil, fmt.Errorf("%s in %s has SHA-256 %s, want %s", src.member, src.pkg, got, src.sha256)
	}
	if cached != "" {
		// Best effort: a read-only cache only costs a download next time.
		if err := os.MkdirAll(filepath.Dir(cached), 0o755); err == nil {
			tmp := cached + ".tmp"
			if os.WriteFile(tmp, raw, 0o644) == nil {
				_ = os.Rename(tmp, cached)
			}
		}
	}
	return raw, nil
}

// fetchNPMFile downloads pkg's tarball with `npm pack` and returns the
// tarball member named member.
func fetchNPMFile(t *testing.T, pkg, member string) ([]byte, error) {
	t.Helper()
	npm, err := exec.LookPath("npm")
	if err != nil {
		return nil, fmt.Errorf("npm not found: %w", err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "pack", "--silent", "--ignore-scripts", "--pack-destination", dir, pkg)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("npm pack %s: %w: %s", pkg, err, strings.TrimSpace(stderr.String()))
	}
	tarballs, err := filepath.Glob(filepath.Join(dir, "*.tgz"))
	if err != nil || len(tarballs) != 1 {
		return nil, fmt.Errorf("npm pack %s: want one tarball, found %d (%v)", pkg, len(tarballs), err)
	}
	return readTarballMember(tarballs[0], member)
}

func readTarballMember(tarball, member string) ([]byte, error) {
	f, err := os.Open(tarball)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", tarball, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s has no %s", filepath.Base(tarball), member)
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", tarball, err)
		}
		if h.Name == member {
			return io.ReadAll(io.LimitReader(tr, 16<<20))
		}
	}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
