package audit

import (
	"context"
	"sync"
)

// Images in flight. An image holds one of Jobs*inFlight places while it
// is analysed: its requests, its blobs and its folds. An image that waits
// for a layer another image is reading (a base many images share, read
// once) gives its place up while it waits, so that the blobs of other
// images are read meanwhile, and takes a place again to go on; at most
// Jobs*parkedPerJob images wait so, each holding what it has read of its
// own layers. Without this, every place fills with images waiting for the
// same large base layer, and one core reads it while the other has
// nothing to do.
const parkedPerJob = 16

// slot is one image's place.
type slot struct {
	a *auditor

	mu     sync.Mutex
	held   bool // it holds a place in a.active
	parked bool // it holds a place in a.parked
}

type slotKey struct{}

// enter takes a place for an image, waiting for one.
func (a *auditor) enter(ctx context.Context) (*slot, error) {
	select {
	case a.active <- struct{}{}:
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
	return &slot{a: a, held: true}, nil
}

// withSlot gives ctx the image's place, for the waits that park it.
func withSlot(ctx context.Context, s *slot) context.Context {
	return context.WithValue(ctx, slotKey{}, s)
}

// slotOf is ctx's image place, nil outside an audit's image.
func slotOf(ctx context.Context) *slot {
	s, _ := ctx.Value(slotKey{}).(*slot)
	return s
}

// leave gives the image's places up: its analysis is over.
func (s *slot) leave() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held {
		<-s.a.active
		s.held = false
	}
	if s.parked {
		<-s.a.parked
		s.parked = false
	}
}

// park is called before one of the image's goroutines waits for another
// image's reading: the image gives its place up if there is room among
// the waiting images.
func (s *slot) park() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.held || s.parked {
		return
	}
	select {
	case s.a.parked <- struct{}{}:
		s.parked, s.held = true, false
		<-s.a.active
	default:
		// As many images wait already: this one keeps its place.
	}
}

// resume is called when the wait is over: the image takes a place again
// before it goes on (another of its goroutines may have taken it).
func (s *slot) resume(ctx context.Context) error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held {
		return nil
	}
	select {
	case s.a.active <- struct{}{}:
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	s.held = true
	if s.parked {
		<-s.a.parked
		s.parked = false
	}
	return nil
}
