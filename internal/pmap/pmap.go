// Package pmap is a persistent map from strings to values: Set returns a
// new map and leaves the one it was called on as it was, sharing all but
// a few nodes with it. Analyses that give every stage of a Dockerfile
// the variables of the stage it is built FROM keep one version per stage
// in time and memory linear in the number of assignments, where copying
// a map per stage would cost the square of the chain's length.
//
// It is a hash array mapped trie: 5 bits of a 64-bit hash per level, a
// list for the keys whose hashes are equal. Hashes are seeded per map
// (hash/maphash), so that no input can be made to collide on purpose.
package pmap

import (
	"hash/maphash"
	"math/bits"
)

const (
	level  = 5 // hash bits per level
	fanout = 1 << level
	// maxShift is the last level that uses hash bits; below it keys with
	// equal hashes share a collision list.
	maxShift = 60
)

// Map is a persistent map. The zero Map is empty and ready to use.
type Map[V any] struct {
	root *node[V]
	n    int
	seed maphash.Seed
}

type node[V any] struct {
	bitmap uint32
	slots  []slot[V] // one per set bit of bitmap, in bit order
}

// slot holds a child node or a leaf.
type slot[V any] struct {
	child *node[V]
	leaf  *leaf[V]
}

// leaf is a key and its value, with the further keys of the same hash.
// Leaves are never changed once made.
type leaf[V any] struct {
	hash uint64
	key  string
	val  V
	more []kv[V]
}

type kv[V any] struct {
	key string
	val V
}

// Len returns the number of keys.
func (m Map[V]) Len() int { return m.n }

func (m Map[V]) hash(k string) uint64 { return maphash.String(m.seed, k) }

// Get returns the value of k and whether k is set.
func (m Map[V]) Get(k string) (V, bool) {
	if m.root == nil {
		var zero V
		return zero, false
	}
	return get(m.root, m.hash(k), k)
}

func get[V any](n *node[V], h uint64, k string) (V, bool) {
	var zero V
	for shift := uint(0); ; shift += level {
		bit := uint32(1) << ((h >> shift) & (fanout - 1))
		if n.bitmap&bit == 0 {
			return zero, false
		}
		s := n.slots[index(n.bitmap, bit)]
		if s.child != nil {
			n = s.child
			continue
		}
		l := s.leaf
		if l.hash != h {
			return zero, false
		}
		if l.key == k {
			return l.val, true
		}
		for _, e := range l.more {
			if e.key == k {
				return e.val, true
			}
		}
		return zero, false
	}
}

// Has reports whether k is set.
func (m Map[V]) Has(k string) bool {
	_, ok := m.Get(k)
	return ok
}

// Set returns a map with k set to v; m is unchanged.
func (m Map[V]) Set(k string, v V) Map[V] {
	if m.seed == (maphash.Seed{}) {
		m.seed = maphash.MakeSeed()
	}
	root := m.root
	if root == nil {
		root = &node[V]{}
	}
	out, added := set(root, 0, m.hash(k), k, v)
	m.root = out
	if added {
		m.n++
	}
	return m
}

// set returns a copy of n with k set, and whether k is new.
func set[V any](n *node[V], shift uint, h uint64, k string, v V) (*node[V], bool) {
	bit := uint32(1) << ((h >> shift) & (fanout - 1))
	i := index(n.bitmap, bit)
	c := &node[V]{bitmap: n.bitmap}
	if n.bitmap&bit == 0 {
		c.bitmap |= bit
		c.slots = make([]slot[V], len(n.slots)+1)
		copy(c.slots, n.slots[:i])
		c.slots[i] = slot[V]{leaf: &leaf[V]{hash: h, key: k, val: v}}
		copy(c.slots[i+1:], n.slots[i:])
		return c, true
	}
	c.slots = append([]slot[V](nil), n.slots...)
	s := &c.slots[i]
	if s.child != nil {
		child, added := set(s.child, shift+level, h, k, v)
		s.child = child
		return c, added
	}
	l := s.leaf
	if l.hash == h || shift >= maxShift {
		// The same hash (or, past the last level, hashes no level tells
		// apart): the key is the leaf's, one of its list, or new.
		nl := *l
		switch {
		case l.key == k:
			nl.val = v
			s.leaf = &nl
			return c, false
		default:
			for j, e := range l.more {
				if e.key == k {
					nl.more = append([]kv[V](nil), l.more...)
					nl.more[j].val = v
					s.leaf = &nl
					return c, false
				}
			}
		}
		nl.more = append(append([]kv[V](nil), l.more...), kv[V]{k, v})
		s.leaf = &nl
		return c, true
	}
	// Two different hashes in one slot: push the old leaf a level down.
	child := &node[V]{bitmap: uint32(1) << ((l.hash >> (shift + level)) & (fanout - 1)), slots: []slot[V]{{leaf: l}}}
	child, _ = set(child, shift+level, h, k, v)
	*s = slot[V]{child: child}
	return c, true
}

func index(bitmap, bit uint32) int {
	return bits.OnesCount32(bitmap & (bit - 1))
}

// Range calls fn for every key and value, in no particular order, until
// fn returns false.
func (m Map[V]) Range(fn func(k string, v V) bool) {
	if m.root != nil {
		walk(m.root, fn)
	}
}

func walk[V any](n *node[V], fn func(string, V) bool) bool {
	for _, s := range n.slots {
		if s.child != nil {
			if !walk(s.child, fn) {
				return false
			}
			continue
		}
		if !fn(s.leaf.key, s.leaf.val) {
			return false
		}
		for _, e := range s.leaf.more {
			if !fn(e.key, e.val) {
				return false
			}
		}
	}
	return true
}

// Layer is a map written by one owner and forked for others: writes go to
// a plain Go map over a persistent base, and Fork folds them into the
// base once (whatever the number of forks) and gives the fork that base.
// A stage's variables are a Layer; the stages built FROM it get forks,
// so that a file costs one persistent write per variable a stage with
// followers sets, and none at all for a file of one stage.
type Layer[V any] struct {
	base   Map[V]
	own    map[string]V
	added  int     // keys of own that base lacks
	frozen *Map[V] // base with own folded in, until the next Set
}

// Get returns the value of k and whether k is set.
func (l *Layer[V]) Get(k string) (V, bool) {
	if v, ok := l.own[k]; ok {
		return v, true
	}
	return l.base.Get(k)
}

// Has reports whether k is set.
func (l *Layer[V]) Has(k string) bool {
	_, ok := l.Get(k)
	return ok
}

// Len returns the number of keys.
func (l *Layer[V]) Len() int { return l.base.Len() + l.added }

// Set sets k to v.
func (l *Layer[V]) Set(k string, v V) {
	if l.own == nil {
		l.own = map[string]V{}
	}
	if _, ok := l.own[k]; !ok && !l.base.Has(k) {
		l.added++
	}
	l.own[k] = v
	l.frozen = nil
}

// Fork returns a new Layer holding what l holds; writes to either do not
// show in the other.
// The writes since the last Fork move into l's base as they are folded,
// so that each write is folded once however often l is forked (a scope
// forked at every step of a stage costs linear time, not the square).
func (l *Layer[V]) Fork() *Layer[V] {
	if l.frozen == nil {
		m := l.base
		for k, v := range l.own {
			m = m.Set(k, v)
		}
		l.base, l.own, l.added = m, nil, 0
		l.frozen = &m
	}
	return &Layer[V]{base: *l.frozen}
}
