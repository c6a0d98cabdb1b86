package metrics

import (
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// children caches the children of a labelled metric vector by label set.
// Reads are lock-free (an immutable map behind an atomic pointer); a miss
// resolves the child once under a mutex and publishes a copied map. Label
// sets are bounded (routes, codes, OTP types, limit names), so the maps
// stay small.
type children[K comparable, V any] struct {
	m    atomic.Pointer[map[K]V]
	mu   sync.Mutex
	make func(K) V
}

func newChildren[K comparable, V any](mk func(K) V) *children[K, V] {
	c := &children[K, V]{make: mk}
	m := map[K]V{}
	c.m.Store(&m)
	return c
}

// get returns the child for k, creating it on first use.
func (c *children[K, V]) get(k K) V {
	if v, ok := (*c.m.Load())[k]; ok {
		return v
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := *c.m.Load()
	if v, ok := old[k]; ok {
		return v
	}
	v := c.make(k)
	next := make(map[K]V, len(old)+1)
	for kk, vv := range old {
		next[kk] = vv
	}
	next[k] = v
	c.m.Store(&next)
	return v
}

type key2 struct{ a, b string }

type key3 struct{ a, b, c string }

type routeCode struct {
	route string
	code  int
}

// counter1/2/3 and observer1 bind a vector to a children cache.
func counter1(v *prometheus.CounterVec) *children[string, prometheus.Counter] {
	return newChildren(func(k string) prometheus.Counter { return v.WithLabelValues(k) })
}

func counter2(v *prometheus.CounterVec) *children[key2, prometheus.Counter] {
	return newChildren(func(k key2) prometheus.Counter { return v.WithLabelValues(k.a, k.b) })
}

func counter3(v *prometheus.CounterVec) *children[key3, prometheus.Counter] {
	return newChildren(func(k key3) prometheus.Counter { return v.WithLabelValues(k.a, k.b, k.c) })
}

func observer1(v *prometheus.HistogramVec) *children[string, prometheus.Observer] {
	return newChildren(func(k string) prometheus.Observer { return v.WithLabelValues(k) })
}
