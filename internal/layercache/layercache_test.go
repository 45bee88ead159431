package layercache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

func open(t *testing.T, dir string, max int64) *Cache {
	t.Helper()
	c, err := Open(Options{Dir: dir, Namespace: "test-v1", MaxBytes: max})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// record is a payload that compresses a little, distinct per i.
func record(i, n int) []byte {
	b := make([]byte, n)
	x := uint32(i)*2654435761 + 1
	for j := range b {
		x = x*1664525 + 1013904223
		b[j] = byte(x >> 24)
	}
	return b
}

func TestPutGet(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir, 0)
	if _, ok := c.Get("sha256:none"); ok {
		t.Fatal("a key never put was found")
	}
	want := record(1, 10_000)
	if err := c.Put("sha256:one", want); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Get("sha256:one")
	if !ok || !bytes.Equal(got, want) {
		t.Fatalf("read back %d bytes (found %v), want %d", len(got), ok, len(want))
	}
	// Another process opening the folder sees it, and counts its size
	// (on its first write: a run that only reads does not list the folder).
	c2 := open(t, dir, 0)
	if got, ok := c2.Get("sha256:one"); !ok || !bytes.Equal(got, want) {
		t.Fatal("a second cache on the same folder does not find the record")
	}
	if c2.size != 0 {
		t.Errorf("size %d before any write: the folder was listed on open", c2.size)
	}
	if err := c2.Put("sha256:two", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if c2.size <= int64(len(want))/2 {
		t.Errorf("size after the first write %d: the record already there was not counted", c2.size)
	}
	if _, err := Open(Options{Dir: dir, Namespace: "../escape"}); err == nil {
		t.Error("a namespace with a path in it was accepted")
	}
}

// A damaged record reads as absent and is removed.
func TestDamaged(t *testing.T) {
	c := open(t, t.TempDir(), 0)
	for name, damage := range map[string]func([]byte) []byte{
		"truncated": func(b []byte) []byte { return b[:len(b)/2] },
		"flipped":   func(b []byte) []byte { b[len(b)-3] ^= 0xff; return b },
		"checksum":  func(b []byte) []byte { b[len(fileMagic)+1] ^= 1; return b },
		"empty":     func([]byte) []byte { return nil },
		"magic":     func(b []byte) []byte { b[0] = 'X'; return b },
	} {
		key := "sha256:" + name
		if err := c.Put(key, record(2, 5000)); err != nil {
			t.Fatal(err)
		}
		p := c.path(key)
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, damage(raw), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, ok := c.Get(key); ok {
			t.Errorf("%s: a damaged record was read", name)
		}
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: the damaged file is still there: %v", name, err)
		}
	}
	if got := c.Stats().Damaged; got != 5 {
		t.Errorf("%d damaged, want 5", got)
	}
}

// Claims of one key make the record once; the others wait and get it. A
// maker that gives up passes the making on.
func TestClaimSingleFlight(t *testing.T) {
	c := open(t, t.TempDir(), 0)
	ctx := context.Background()
	const n = 16
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		makers int
		got    [n][]byte
	)
	release := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data, fill, err := c.Claim(ctx, "sha256:shared")
			if err != nil {
				t.Error(err)
				return
			}
			if fill != nil {
				mu.Lock()
				makers++
				mu.Unlock()
				<-release
				data = record(3, 1000)
				fill(data)
			}
			got[i] = data
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if makers != 1 {
		t.Fatalf("%d claims made the record, want 1", makers)
	}
	for i, g := range got {
		if !bytes.Equal(g, record(3, 1000)) {
			t.Fatalf("claim %d got %d bytes", i, len(g))
		}
	}
	st := c.Stats()
	if st.Fills != 1 || st.Waits+st.Hits != n-1 {
		t.Errorf("stats %+v", st)
	}

	// A maker that gives up: the waiting claim becomes the maker.
	_, fill, _ := c.Claim(ctx, "sha256:given-up")
	next := make(chan func([]byte))
	go func() {
		_, f, _ := c.Claim(ctx, "sha256:given-up")
		next <- f
	}()
	time.Sleep(20 * time.Millisecond)
	fill(nil)
	if f := <-next; f == nil {
		t.Fatal("after the maker gave up, the waiting claim was not made the maker")
	} else {
		f(nil)
	}

	// A waiting claim gives up with its context.
	_, fill, _ = c.Claim(ctx, "sha256:slow")
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, _, err := c.Claim(cctx, "sha256:slow"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting claim after its deadline: %v", err)
	}
	fill(nil)
}

// Past the cap, the least recently used records go, down to 90%.
func TestEviction(t *testing.T) {
	dir := t.TempDir()
	const size = 20_000 // incompressible payloads, so files are this size
	c := open(t, dir, 10*size)
	old := time.Now().Add(-48 * time.Hour)
	for i := range 8 {
		key := fmt.Sprintf("sha256:%d", i)
		if err := c.Put(key, record(i, size)); err != nil {
			t.Fatal(err)
		}
		// Records 0-3 were last used long ago.
		if i < 4 {
			if err := os.Chtimes(c.path(key), old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Reading record 0 makes it recent again.
	if _, ok := c.Get("sha256:0"); !ok {
		t.Fatal("record 0 missing")
	}
	for i := 8; i < 12; i++ {
		if err := c.Put(fmt.Sprintf("sha256:%d", i), record(i, size)); err != nil {
			t.Fatal(err)
		}
	}
	if st := c.Stats(); st.Evicted == 0 {
		t.Fatalf("nothing evicted: %+v", st)
	}
	var total int64
	files, err := c.list()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		total += f.size
	}
	if total > int64(float64(10*size)*evictTo)+size {
		t.Errorf("%d bytes on disk after eviction, cap %d", total, 10*size)
	}
	for _, gone := range []int{1, 2, 3} {
		if _, ok := c.Get(fmt.Sprintf("sha256:%d", gone)); ok {
			t.Errorf("record %d (least recently used) survived", gone)
		}
	}
	for _, kept := range []int{0, 10, 11} {
		if _, ok := c.Get(fmt.Sprintf("sha256:%d", kept)); !ok {
			t.Errorf("record %d (recently used) was evicted", kept)
		}
	}
}

// Several processes writing and reading the same keys with a cap that
// makes them evict never read a damaged or wrong record.
func TestConcurrentProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("runs several processes")
	}
	dir := t.TempDir()
	const procs = 4
	cmds := make([]*exec.Cmd, procs)
	outs := make([]bytes.Buffer, procs)
	for i := range cmds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
		cmd.Env = append(os.Environ(), "LAYERCACHE_HELPER_DIR="+dir, "LAYERCACHE_HELPER_SEED="+strconv.Itoa(i))
		cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[i] = cmd
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i, err, outs[i].String())
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "test-v1", "*", ".*.tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// TestHelperProcess is one of TestConcurrentProcesses's processes.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv("LAYERCACHE_HELPER_DIR")
	if dir == "" {
		t.Skip("a helper of TestConcurrentProcesses")
	}
	seed, _ := strconv.Atoi(os.Getenv("LAYERCACHE_HELPER_SEED"))
	c := open(t, dir, 400_000)
	for round := range 300 {
		i := (round*7 + seed) % 40
		key := fmt.Sprintf("sha256:%d", i)
		want := record(i, 10_000+i)
		if got, ok := c.Get(key); ok && !bytes.Equal(got, want) {
			t.Fatalf("key %d: read a wrong record", i)
		}
		if err := c.Put(key, want); err != nil {
			t.Fatal(err)
		}
	}
	if d := c.Stats().Damaged; d > 0 {
		t.Fatalf("%d damaged records read", d)
	}
}

// A record file holds whatever the disk gives back: decoding never
// panics, and what it accepts is a payload that encodes to a record
// decoding to it again.
func FuzzDecode(f *testing.F) {
	c, err := Open(Options{Dir: f.TempDir(), Namespace: "fuzz"})
	if err != nil {
		f.Fatal(err)
	}
	defer c.Close()
	for _, p := range [][]byte{nil, []byte("reading"), record(1, 5000)} {
		enc, err := c.encode(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(enc)
		f.Add(enc[:len(enc)/2])
	}
	f.Add([]byte(fileMagic))
	f.Fuzz(func(t *testing.T, raw []byte) {
		data, err := c.decode(raw)
		if err != nil {
			return
		}
		enc, err := c.encode(data)
		if err != nil {
			t.Fatal(err)
		}
		again, err := c.decode(enc)
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("a decoded payload does not round-trip: %v", err)
		}
	})
}

func TestOpenRejectsNamespace(t *testing.T) {
	for _, ns := range []string{"", "../up", "a/b", "sp ace", "ünï"} {
		if _, err := Open(Options{Dir: t.TempDir(), Namespace: ns}); err == nil {
			t.Errorf("namespace %q accepted", ns)
		}
	}
	if _, err := Open(Options{Dir: t.TempDir(), Namespace: "shell-check_2.v1"}); err != nil {
		t.Errorf("a valid namespace: %v", err)
	}
}
