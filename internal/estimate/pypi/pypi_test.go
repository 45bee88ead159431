package pypi_test

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/estimate/estimatetest"
	"github.com/stratatools/strata/internal/estimate/fetch"
	"github.com/stratatools/strata/internal/estimate/pypi"
)

func TestParseRequirements(t *testing.T) {
	reqs, local, notes := pypi.ParseRequirementsFile([]byte(`# app
Flask==3.0.0  # web
requests[socks] >= 2.31 ; python_version > "3.8"
gunicorn==21.* \
  # pinned loosely
-r other.txt
--index-url https://x.test/simple
./local
git+https://x.test/repo.git
Zope.Interface===5.0
`))
	var got []string
	for _, r := range reqs {
		got = append(got, r.Name+"|"+r.Pin+"|"+r.Spec)
	}
	want := "flask|3.0.0|==3.0.0 requests||>= 2.31 gunicorn||==21.* zope-interface|5.0|===5.0"
	if strings.Join(got, " ") != want {
		t.Errorf("requirements = %q, want %q", strings.Join(got, " "), want)
	}
	if len(notes) != 3 || len(local) != 1 || local[0] != "./local" {
		t.Errorf("notes = %q, local = %q; want the -r, --index-url and URL lines, and ./local", notes, local)
	}
}

func client(m *estimatetest.Mirror, dir, py string) *pypi.Client {
	return &pypi.Client{Fetch: &fetch.Client{HTTP: m.Client, Timeout: 10 * time.Second}, Cache: fetch.Cache{Dir: dir}, Index: "http://" + estimatetest.PyPIHost, Python: py, Arch: "x86_64"}
}

func TestResolve(t *testing.T) {
	m := estimatetest.NewMirror(t)
	c := client(m, t.TempDir(), "cp311")
	dists, err := c.Resolve(context.Background(), []pypi.Requirement{{Name: "flask", Pin: "3.0.0"}, {Name: "tinysdist"}})
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := estimatetest.Dir()
	got := map[string]pypi.Dist{}
	for _, d := range dists {
		got[d.Name] = d
	}
	// flask's dependencies, not the extra's (asgiref).
	for _, p := range estimatetest.PyPIProjects {
		d, ok := got[strings.ToLower(p.Name)]
		if !ok {
			t.Errorf("%s was not resolved: %v", p.Name, dists)
			continue
		}
		if p.Wheel == "" {
			if !d.Sdist || d.Exact {
				t.Errorf("%s has no wheel: %+v", p.Name, d)
			}
			continue
		}
		var un, src int64
		for n, s := range p.Files {
			un += int64(s)
			if strings.HasSuffix(n, ".py") {
				src += int64(s)
			}
		}
		fi, err := os.Stat(filepath.Join(dir, "mirror", estimatetest.PyPIHost, "packages", p.Wheel))
		if err != nil {
			t.Fatal(err)
		}
		if d.Filename != p.Wheel || d.Unpacked != un || d.Source != src || !d.Exact || d.Size != fi.Size() {
			t.Errorf("%s = %+v, want the wheel %s unpacking to %d (%d of .py), %d bytes", p.Name, d, p.Wheel, un, src, fi.Size())
		}
	}
	if _, ok := got["asgiref"]; ok {
		t.Error("an extra's requirement was followed")
	}
	// Another interpreter cannot use the cp311 wheel: its source archive.
	c = client(m, t.TempDir(), "cp312")
	dists, err = c.Resolve(context.Background(), []pypi.Requirement{{Name: "markupsafe"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(dists) != 1 || !dists[0].Sdist {
		t.Errorf("markupsafe for cp312: %+v, want its source archive", dists)
	}
	if _, err := c.Resolve(context.Background(), []pypi.Requirement{{Name: "nosuch"}}); err == nil {
		t.Error("an unknown project resolved")
	}
}

// TestWheelDirectoryLarge: a wheel whose directory is larger than the
// first range request is read with a second.
func TestWheelDirectoryLarge(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var want int64
	for i := 0; i < 3000; i++ {
		w, _ := zw.Create(strings.Repeat("d", 40) + "/module_" + strings.Repeat("x", 20) + string(rune('a'+i%26)) + "_" + time.Duration(i).String() + ".py")
		w.Write([]byte("pass\n"))
		want += 5
	}
	zw.Close()
	if buf.Len() < 64<<10 {
		t.Fatalf("the test wheel is only %d bytes", buf.Len())
	}
	srv := serveBytes(t, "/big-1.0-py3-none-any.whl", buf.Bytes())
	c := &pypi.Client{Fetch: &fetch.Client{}, Index: srv, Python: "cp311"}
	doc := `{"info":{"name":"big","version":"1.0"},"urls":[{"filename":"big-1.0-py3-none-any.whl","packagetype":"bdist_wheel","size":` + itoa(buf.Len()) + `,"url":"` + srv + `/big-1.0-py3-none-any.whl"}]}`
	addFile(t, "/pypi/big/json", []byte(doc))
	d, err := c.Resolve(context.Background(), []pypi.Requirement{{Name: "big"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(d) != 1 || d[0].Unpacked != want || !d[0].Exact {
		t.Errorf("big = %+v, want %d unpacked", d, want)
	}
}
