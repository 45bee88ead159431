package pmap

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestAgainstMap sets random keys and checks every version kept along
// the way against a copy of a Go map taken at the same point.
func TestAgainstMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var m Map[int]
	ref := map[string]int{}
	type snap struct {
		m   Map[int]
		ref map[string]int
	}
	var snaps []snap
	for i := 0; i < 20000; i++ {
		k := fmt.Sprintf("k%d", r.IntN(5000))
		m = m.Set(k, i)
		ref[k] = i
		if i%1000 == 0 {
			c := make(map[string]int, len(ref))
			for k, v := range ref {
				c[k] = v
			}
			snaps = append(snaps, snap{m, c})
		}
	}
	snaps = append(snaps, snap{m, ref})
	for _, s := range snaps {
		if s.m.Len() != len(s.ref) {
			t.Fatalf("Len %d, want %d", s.m.Len(), len(s.ref))
		}
		for k, v := range s.ref {
			if got, ok := s.m.Get(k); !ok || got != v {
				t.Fatalf("Get(%q) = %d, %v; want %d", k, got, ok, v)
			}
		}
		if _, ok := s.m.Get("absent"); ok {
			t.Fatal("Get of an absent key succeeded")
		}
		n := 0
		s.m.Range(func(k string, v int) bool {
			if s.ref[k] != v {
				t.Fatalf("Range gave %q=%d, want %d", k, v, s.ref[k])
			}
			n++
			return true
		})
		if n != len(s.ref) {
			t.Fatalf("Range visited %d keys, want %d", n, len(s.ref))
		}
	}
}

func TestZeroMap(t *testing.T) {
	var m Map[string]
	if m.Len() != 0 || m.Has("a") {
		t.Fatal("zero map not empty")
	}
	m2 := m.Set("a", "x")
	if m.Has("a") || !m2.Has("a") {
		t.Fatal("Set changed the map it was called on")
	}
}

// TestCollisions drives the paths taken when two keys share a hash or a
// long hash prefix, which a seeded hash makes too rare to meet by chance.
func TestCollisions(t *testing.T) {
	n := &node[int]{}
	var added bool
	n, added = set(n, 0, 0xabc, "a", 1)
	if !added {
		t.Fatal("first key not added")
	}
	n, added = set(n, 0, 0xabc, "b", 2) // same hash
	if !added {
		t.Fatal("colliding key not added")
	}
	n, added = set(n, 0, 0xabc, "b", 3) // update in the collision list
	if added {
		t.Fatal("update counted as new")
	}
	n, _ = set(n, 0, 0xabc|1<<55, "c", 4) // differs only at a deep level
	m := Map[int]{root: n, n: 3}
	get := func(h uint64, k string) (int, bool) { return get(m.root, h, k) }
	for _, c := range []struct {
		h    uint64
		k    string
		want int
	}{{0xabc, "a", 1}, {0xabc, "b", 3}, {0xabc | 1<<55, "c", 4}} {
		if v, ok := get(c.h, c.k); !ok || v != c.want {
			t.Errorf("%s = %d, %v; want %d", c.k, v, ok, c.want)
		}
	}
	seen := map[string]int{}
	m.Range(func(k string, v int) bool { seen[k] = v; return true })
	if len(seen) != 3 || seen["b"] != 3 {
		t.Errorf("Range saw %v", seen)
	}
}

func BenchmarkSetChain(b *testing.B) {
	for b.Loop() {
		var m Map[string]
		for i := 0; i < 10000; i++ {
			m = m.Set(fmt.Sprintf("V%d", i), "x")
		}
	}
}

func BenchmarkGoMapChain(b *testing.B) {
	for b.Loop() {
		m := map[string]string{}
		for i := 0; i < 10000; i++ {
			m[fmt.Sprintf("V%d", i)] = "x"
		}
	}
}

// TestLayer forks layers in a tree and checks each against a Go map.
func TestLayer(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	type pair struct {
		l   *Layer[int]
		ref map[string]int
	}
	var all []pair
	root := pair{&Layer[int]{}, map[string]int{}}
	all = append(all, root)
	for i := 0; i < 3000; i++ {
		p := all[r.IntN(len(all))]
		if r.IntN(10) == 0 {
			c := pair{p.l.Fork(), map[string]int{}}
			for k, v := range p.ref {
				c.ref[k] = v
			}
			all = append(all, c)
			continue
		}
		k := fmt.Sprintf("k%d", r.IntN(200))
		p.l.Set(k, i)
		p.ref[k] = i
	}
	for _, p := range all {
		if p.l.Len() != len(p.ref) {
			t.Fatalf("Len %d, want %d", p.l.Len(), len(p.ref))
		}
		for k, v := range p.ref {
			if got, ok := p.l.Get(k); !ok || got != v {
				t.Fatalf("Get(%q) = %d, %v; want %d", k, got, ok, v)
			}
		}
		if p.l.Has("absent") {
			t.Fatal("Has of an absent key")
		}
	}
}

// TestLayerForkedAtEveryWrite sets n keys in a Layer and forks it after
// each (a scope saved at every step of a stage): the bytes allocated must
// grow about as n does (4x from 1,000 to 4,000 keys, a little more for
// the depth of the tree), not as its square, which they did when every
// Fork folded every write since the Layer was made.
func TestLayerForkedAtEveryWrite(t *testing.T) {
	alloc := func(n int) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		l := &Layer[int]{}
		forks := make([]*Layer[int], 0, n)
		for i := range n {
			l.Set(fmt.Sprintf("K%d", i), i)
			forks = append(forks, l.Fork())
		}
		runtime.ReadMemStats(&after)
		if got, ok := forks[n-1].Get("K0"); !ok || got != 0 || forks[0].Has("K1") || forks[n-1].Len() != n {
			t.Fatal("a fork does not hold what the layer held")
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := alloc(1000), alloc(4000)
	if ratio := float64(large) / float64(small); ratio > 6 {
		t.Errorf("4,000 writes each followed by a fork allocate %.1fx what 1,000 do; linear is 4x", ratio)
	}
}
