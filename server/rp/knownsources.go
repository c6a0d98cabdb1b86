package rp

import (
	"sync"
	"time"
)

// Addresses an API client authenticated from (session 4 red team). Failed
// authentications are limited per client id as well as per IP (issue 11
// item 8), and the client id is no secret: while the per-client budget is
// exhausted, every attempt was refused — the relying party's own servers
// too, so one address sending a wrong secret every few seconds stopped the
// relying party. An address from which the client authenticated with its
// secret within knownTTL keeps being checked (it still gets 429 for a wrong
// secret and is still limited per IP); other addresses stay refused unread,
// so the per-client budget still bounds distributed guessing. Kept per
// instance and bounded; a restart forgets it (the next success from the
// address after the attack ends teaches it again).

// knownTTL is how long a successful authentication vouches for its address.
const knownTTL = 24 * time.Hour

// maxKnownSources bounds the memory: when full, expired entries are swept
// and, if still full, new addresses are not remembered.
const maxKnownSources = 16384

// knownRefresh: a remembered address is re-stamped at most this often (the
// hot path only reads).
const knownRefresh = time.Minute

// knownSources is read on every relying-party API call (add, mostly a hit),
// so the map is keyed by a struct of the two strings under a read lock: a
// lookup allocates nothing (a sync.Map boxed a concatenated key per call).
type knownSources struct {
	mu sync.RWMutex
	m  map[knownID]time.Time // time of the last success; nil until the first
}

type knownID struct{ clientID, ip string }

// has reports whether clientID authenticated from ip within knownTTL.
func (k *knownSources) has(clientID, ip string, now time.Time) bool {
	k.mu.RLock()
	v, ok := k.m[knownID{clientID, ip}]
	k.mu.RUnlock()
	return ok && now.Sub(v) < knownTTL
}

// add remembers a successful authentication of clientID from ip.
func (k *knownSources) add(clientID, ip string, now time.Time) {
	key := knownID{clientID, ip}
	k.mu.RLock()
	v, ok := k.m[key]
	k.mu.RUnlock()
	if ok && now.Sub(v) < knownRefresh {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[knownID]time.Time{}
	}
	if _, ok := k.m[key]; !ok && len(k.m) >= maxKnownSources && !k.sweep(now) {
		return
	}
	k.m[key] = now
}

// sweep drops expired entries and reports whether there is room again
// (k.mu held).
func (k *knownSources) sweep(now time.Time) bool {
	for key, v := range k.m {
		if now.Sub(v) >= knownTTL {
			delete(k.m, key)
		}
	}
	return len(k.m) < maxKnownSources
}

// size is the number of remembered (client, address) pairs.
func (k *knownSources) size() int {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return len(k.m)
}
