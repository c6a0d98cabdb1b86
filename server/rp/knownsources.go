package rp

import (
	"sync"
	"sync/atomic"
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

type knownSources struct {
	m  sync.Map // clientID + "\x00" + ip → time.Time of the last success
	n  atomic.Int64
	mu sync.Mutex // sweeps
}

func knownKey(clientID, ip string) string { return clientID + "\x00" + ip }

// has reports whether clientID authenticated from ip within knownTTL.
func (k *knownSources) has(clientID, ip string, now time.Time) bool {
	v, ok := k.m.Load(knownKey(clientID, ip))
	return ok && now.Sub(v.(time.Time)) < knownTTL
}

// add remembers a successful authentication of clientID from ip.
func (k *knownSources) add(clientID, ip string, now time.Time) {
	key := knownKey(clientID, ip)
	if v, ok := k.m.Load(key); ok {
		if now.Sub(v.(time.Time)) >= knownRefresh {
			k.m.Store(key, now)
		}
		return
	}
	if k.n.Load() >= maxKnownSources && !k.sweep(now) {
		return
	}
	if _, loaded := k.m.LoadOrStore(key, now); !loaded {
		k.n.Add(1)
	}
}

// sweep drops expired entries and reports whether there is room again.
func (k *knownSources) sweep(now time.Time) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m.Range(func(key, v any) bool {
		if now.Sub(v.(time.Time)) >= knownTTL {
			if _, deleted := k.m.LoadAndDelete(key); deleted {
				k.n.Add(-1)
			}
		}
		return true
	})
	return k.n.Load() < maxKnownSources
}
