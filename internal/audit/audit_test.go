package audit

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/stratatools/strata/internal/image/gate"
	"github.com/stratatools/strata/internal/vocab"
)

func TestParseTarget(t *testing.T) {
	for _, c := range []struct {
		in, reg, prefix string
	}{
		{"registry.example:5000", "registry.example:5000", ""},
		{"registry.example:5000/team", "registry.example:5000", "team"},
		{"registry.example:5000/team/sub/", "registry.example:5000", "team/sub"},
		{"https://ghcr.io/org", "ghcr.io", "org"},
		{"127.0.0.1:5000", "127.0.0.1:5000", ""},
	} {
		reg, prefix, err := ParseTarget(c.in, false)
		if err != nil || reg.RegistryStr() != c.reg || prefix != c.prefix {
			t.Errorf("ParseTarget(%q) = %q, %q, %v; want %q, %q", c.in, reg.RegistryStr(), prefix, err, c.reg, c.prefix)
		}
	}
	for _, bad := range []string{"", "/team", "reg istry/x", "registry.example/Team", "registry.example/a//b"} {
		if _, _, err := ParseTarget(bad, false); err == nil || !vocab.IsInput(err) {
			t.Errorf("ParseTarget(%q) = %v, want an input error", bad, err)
		}
	}
}

func sampleImages() []Image {
	base := ImageLayer{Digest: "sha256:base", Size: 100, CompressedSize: 40, Base: true, CreatedBy: "ADD rootfs"}
	return []Image{
		{Repository: "team/a", Tags: []string{"1"}, Digest: "sha256:a", Size: 300, WastedBytes: 10,
			Layers:   []ImageLayer{base, {Digest: "sha256:a1", Size: 200, CompressedSize: 90}},
			Findings: []Finding{{Rule: "SI001", Severity: vocab.Warning}}},
		{Repository: "team/b", Tags: []string{"1"}, Digest: "sha256:b", Size: 500, WastedBytes: 5,
			Layers: []ImageLayer{base, {Digest: "sha256:b1", Size: 400, CompressedSize: 100}}},
		{Repository: "team/b", Tags: []string{"2"}, Digest: "sha256:c", Size: 150, WastedBytes: 10,
			Layers:   []ImageLayer{base, {Digest: "sha256:a1", Size: 200, CompressedSize: 90, Base: false}},
			Findings: []Finding{{Rule: "SI030", Severity: vocab.Error}, {Rule: "SI001", Severity: vocab.Warning}}},
	}
}

func refs(r *Report) string {
	var s []string
	for _, img := range r.Images {
		s = append(s, img.Ref())
	}
	return strings.Join(s, " ")
}

// Rank orders by the key asked, then wasted bytes, size and reference.
func TestRank(t *testing.T) {
	r := &Report{Images: sampleImages()}
	for _, c := range []struct{ by, want string }{
		// a and b:2 waste as much; a is larger.
		{ByWasted, "team/a:1 team/b:2 team/b:1"},
		{BySize, "team/b:1 team/a:1 team/b:2"},
		// b:2 has an error; a a warning.
		{ByFindings, "team/b:2 team/a:1 team/b:1"},
	} {
		if err := r.Rank(c.by); err != nil {
			t.Fatal(err)
		}
		if got := refs(r); got != c.want || r.RankedBy != c.by {
			t.Errorf("by %s: %s (ranked by %q), want %s", c.by, got, r.RankedBy, c.want)
		}
	}
	if err := r.Rank("age"); err == nil || !vocab.IsInput(err) {
		t.Errorf("unknown order: %v", err)
	}
}

// The layers are counted once per image and ranked by how many images
// hold them; a layer that is a base layer in every image is a base layer.
func TestLayerUses(t *testing.T) {
	uses := layerUses(sampleImages())
	if len(uses) != 3 {
		t.Fatalf("%d layers, want 3: %+v", len(uses), uses)
	}
	want := []struct {
		digest      string
		images, rep int
		base        bool
	}{{"sha256:base", 3, 2, true}, {"sha256:a1", 2, 2, false}, {"sha256:b1", 1, 1, false}}
	for i, w := range want {
		u := uses[i]
		if u.Digest != w.digest || u.Images != w.images || u.Repositories != w.rep || u.Base != w.base {
			t.Errorf("layer %d: %+v, want %+v", i, u, w)
		}
	}
}

// The gate applies to each image as strata image applies it.
func TestApplyGate(t *testing.T) {
	r := &Report{Images: sampleImages()}
	r.ApplyGate(gate.Gate{MaxWastedBytes: gate.Int64(8), FailOn: gate.Severity(vocab.Error)})
	if r.Stats.GateFailed != 2 {
		t.Fatalf("%d images fail, want 2 (a and b:2 waste 10 bytes)", r.Stats.GateFailed)
	}
	for _, img := range r.Images {
		if img.Gate == nil {
			t.Fatalf("%s has no verdict", img.Ref())
		}
	}
	if r.Images[1].Gate.Pass != true || r.Images[2].Gate.Pass != false {
		t.Errorf("verdicts %+v %+v", r.Images[1].Gate, r.Images[2].Gate)
	}
	failing := 0
	for _, c := range r.Images[2].Gate.Checks {
		if !c.Pass {
			failing++
		}
	}
	if failing != 2 {
		t.Errorf("b:2 fails %d checks, want the wasted bytes and the error: %+v", failing, r.Images[2].Gate.Checks)
	}
	r.ApplyGate(gate.Gate{})
	if r.Stats.GateFailed != 0 {
		t.Errorf("an empty gate fails %d", r.Stats.GateFailed)
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

var _ net.Error = timeoutErr{}

func TestRetryable(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&transport.Error{StatusCode: http.StatusTooManyRequests}, true},
		{fmt.Errorf("reading: %w", &transport.Error{StatusCode: http.StatusServiceUnavailable}), true},
		{&transport.Error{StatusCode: http.StatusInternalServerError}, true},
		{&transport.Error{StatusCode: http.StatusNotFound}, false},
		{&transport.Error{StatusCode: http.StatusUnauthorized}, false},
		{fmt.Errorf("dial: %w", syscall.ECONNREFUSED), true},
		{fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{timeoutErr{}, true},
		{errors.New("manifest unknown"), false},
	} {
		if got := retryable(c.err); got != c.want {
			t.Errorf("retryable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

// The waits double from the base, with at most 20% jitter, capped.
func TestBackoff(t *testing.T) {
	base := 100 * time.Millisecond
	for n, want := range []time.Duration{base, 2 * base, 4 * base, 8 * base} {
		got := backoff(base, n+1)
		if got < want || got > want+want/5 {
			t.Errorf("attempt %d: %s, want %s to %s", n+1, got, want, want+want/5)
		}
	}
	if got := backoff(time.Second, 40); got > time.Minute+time.Minute/5 {
		t.Errorf("attempt 40 waits %s", got)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		`GET https://user:s3cret@registry.example/v2/: 401`:     `GET https://[redacted]registry.example/v2/: 401`,
		`Authorization: Bearer eyJhbGciOi.abc-def_ghi`:          `Authorization: Bearer [redacted]`,
		`GET https://registry.example/v2/x/blobs/sha256:1: 500`: `GET https://registry.example/v2/x/blobs/sha256:1: 500`,
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// Shards split repositories evenly enough, alike on every machine, and
// one shard is everything.
func TestShardOf(t *testing.T) {
	counts := make([]int, 8)
	for i := range 8000 {
		repo := fmt.Sprintf("team-%d/service-%d", i%37, i)
		s := ShardOf(repo, 8)
		if s != ShardOf(repo, 8) || s < 0 || s >= 8 {
			t.Fatalf("ShardOf(%q, 8) = %d", repo, s)
		}
		counts[s]++
		if ShardOf(repo, 1) != 0 || ShardOf(repo, 0) != 0 {
			t.Fatalf("one shard must hold %q", repo)
		}
	}
	for s, n := range counts {
		if n < 800 || n > 1200 {
			t.Errorf("shard %d holds %d of 8000 repositories", s, n)
		}
	}
	if ShardOf("library/debian", 20) != 16 {
		t.Errorf("ShardOf changed: library/debian is in shard %d of 20, was 16 (FNV-1a)", ShardOf("library/debian", 20))
	}
}

// Readings depend on the checks and the version; summaries on the ignore
// patterns too.
func TestCacheNamespaces(t *testing.T) {
	l1, r1 := CacheNamespaces("v1", nil)
	l2, r2 := CacheNamespaces("v1", []string{"/tmp/**"})
	l3, r3 := CacheNamespaces("v2", nil)
	if l1 != l2 || r1 == r2 || l1 == l3 || r1 == r3 || l1 == r1 {
		t.Errorf("namespaces: %s %s / %s %s / %s %s", l1, r1, l2, r2, l3, r3)
	}
}

// mapStore is a LayerStore in memory that counts what it is asked.
type mapStore struct {
	mu     sync.Mutex
	data   map[string][]byte
	claims int
}

func (s *mapStore) Claim(_ context.Context, d string) ([]byte, func([]byte), error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.claims++
	if r, ok := s.data[d]; ok {
		return r, nil, nil
	}
	return nil, func(r []byte) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if r != nil {
			s.data[d] = r
		}
	}, nil
}

// Concurrent claims of one digest fill it once; the others wait and get
// the reading from the store behind, which is filled once.
func TestMemoryStoreSingleFlight(t *testing.T) {
	next := &mapStore{data: map[string][]byte{"sha256:known": []byte("from disk")}}
	m := newMemoryStore(next)
	var fills atomic.Int32
	var wg sync.WaitGroup
	results := make([]string, 16)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, fill, err := m.Claim(t.Context(), "sha256:new")
			if err != nil {
				t.Error(err)
				return
			}
			if fill != nil {
				fills.Add(1)
				time.Sleep(10 * time.Millisecond)
				fill([]byte("read once"))
				fill([]byte("again")) // a second call changes nothing
				r = []byte("read once")
			}
			results[i] = string(r)
		}()
	}
	wg.Wait()
	if fills.Load() != 1 {
		t.Errorf("%d fills, want 1", fills.Load())
	}
	for i, r := range results {
		if r != "read once" {
			t.Errorf("claim %d got %q", i, r)
		}
	}
	if string(next.data["sha256:new"]) != "read once" {
		t.Errorf("the store behind holds %q", next.data["sha256:new"])
	}
	// A reading the store behind has is taken from it.
	r, fill, err := m.Claim(t.Context(), "sha256:known")
	if err != nil || fill != nil || string(r) != "from disk" {
		t.Fatalf("known reading: %q, %v, fill %v", r, err, fill != nil)
	}
	// A failed read (nil) lets the next claim read it.
	_, fill, _ = m.Claim(t.Context(), "sha256:bad")
	fill(nil)
	if _, fill, _ := m.Claim(t.Context(), "sha256:bad"); fill == nil {
		t.Error("after a failed read, the next claim did not read")
	} else {
		fill(nil)
	}
	// A waiter gives up with its context.
	_, hold, _ := m.Claim(t.Context(), "sha256:slow")
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if _, _, err := m.Claim(ctx, "sha256:slow"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting claim: %v", err)
	}
	hold(nil)
}

// With a store behind, readings are left to it; without, they are kept
// up to the budget.
func TestMemoryStoreBudget(t *testing.T) {
	big := make([]byte, memoryBudget/2+1)
	next := &mapStore{data: map[string][]byte{}}
	m := newMemoryStore(next)
	for _, d := range []string{"sha256:1", "sha256:2"} {
		_, fill, _ := m.Claim(t.Context(), d)
		fill(big)
	}
	if len(m.readings) != 0 || len(next.data) != 2 {
		t.Errorf("kept %d readings in memory, %d behind", len(m.readings), len(next.data))
	}
	alone := newMemoryStore(nil)
	for _, d := range []string{"sha256:1", "sha256:2"} {
		_, fill, _ := alone.Claim(t.Context(), d)
		fill(big)
	}
	if len(alone.readings) != 1 || alone.bytes != int64(len(big)) {
		t.Errorf("without a store behind, kept %d readings (%d bytes)", len(alone.readings), alone.bytes)
	}
	// The one left out is read again.
	if _, fill, _ := alone.Claim(t.Context(), "sha256:2"); fill == nil {
		t.Error("a reading past the budget was not read again")
	} else {
		fill(nil)
	}
}
