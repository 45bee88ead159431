package audit

import (
	"context"
	"testing"
	"time"
)

// An image that waits for a layer another image is reading gives its
// place up, so that another image starts meanwhile; it takes a place
// again before it goes on. Past the waiting images' bound, a waiting
// image keeps its place.
func TestSlotParksWhileWaiting(t *testing.T) {
	a := &auditor{active: make(chan struct{}, 2), parked: make(chan struct{}, 1)}
	m := newMemoryStore(nil)
	ctx := t.Context()
	enter := func() (*slot, context.Context) {
		t.Helper()
		s, err := a.enter(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s, withSlot(ctx, s)
	}

	// A reads the layer; B waits for it and gives its place up.
	reader, actx := enter()
	_, fill, err := m.Claim(actx, "sha256:base")
	if err != nil || fill == nil {
		t.Fatalf("first claim: fill %v, %v", fill != nil, err)
	}
	_, bctx := enter()
	got := make(chan string, 1)
	go func() {
		r, _, err := m.Claim(bctx, "sha256:base")
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		got <- string(r)
	}()
	waitFor(t, "B to give its place up", func() bool { return len(a.active) == 1 && len(a.parked) == 1 })

	// C takes B's place.
	c, _ := enter()

	// The bound on waiting images is reached: D, waiting too, keeps
	// its place (and nobody else can start).
	reader.leave()
	_, dctx := enter()
	dgot := make(chan error, 1)
	go func() {
		_, _, err := m.Claim(dctx, "sha256:base")
		dgot <- err
	}()
	time.Sleep(20 * time.Millisecond)
	if len(a.active) != 2 || len(a.parked) != 1 {
		t.Fatalf("with the waiting images' bound reached: %d places held, %d waiting, want 2 and 1", len(a.active), len(a.parked))
	}

	// The reading arrives: D goes on in its place; B waits for one.
	fill([]byte("reading"))
	if err := <-dgot; err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-got:
		t.Fatalf("B went on (%q) without a place", r)
	case <-time.After(20 * time.Millisecond):
	}
	c.leave()
	select {
	case r := <-got:
		if r != "reading" {
			t.Fatalf("B got %q", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("B did not go on when a place was free")
	}
	if len(a.active) != 2 || len(a.parked) != 0 {
		t.Errorf("after B resumed: %d places held, %d waiting, want 2 and 0", len(a.active), len(a.parked))
	}
}

// A parked image that is cancelled gives its places up when it leaves.
func TestSlotCancelledWhileParked(t *testing.T) {
	a := &auditor{active: make(chan struct{}, 1), parked: make(chan struct{}, 1)}
	m := newMemoryStore(nil)
	_, hold, _ := m.Claim(t.Context(), "sha256:slow")
	defer hold(nil)
	ctx, cancel := context.WithCancel(t.Context())
	s, err := a.enter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := m.Claim(withSlot(ctx, s), "sha256:slow")
		done <- err
	}()
	waitFor(t, "the image to give its place up", func() bool { return len(a.active) == 0 })
	// Another image holds the only place: the cancelled one never gets
	// it back.
	other, err := a.enter(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err == nil {
		t.Fatal("a cancelled wait returned no error")
	}
	s.leave()
	other.leave()
	if len(a.active) != 0 || len(a.parked) != 0 {
		t.Errorf("after leaving: %d places held, %d waiting", len(a.active), len(a.parked))
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
