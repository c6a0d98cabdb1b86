package rp

import (
	"strconv"
	"testing"
	"time"
)

func TestKnownSourcesRememberExpireAndStayBounded(t *testing.T) {
	var k knownSources
	now := time.Unix(1_800_000_000, 0)
	if k.has("rp", "192.0.2.1", now) {
		t.Fatal("an address never seen is known")
	}
	k.add("rp", "192.0.2.1", now)
	if !k.has("rp", "192.0.2.1", now.Add(knownTTL-time.Second)) {
		t.Fatal("a success is forgotten before knownTTL")
	}
	if k.has("other", "192.0.2.1", now) || k.has("rp", "192.0.2.2", now) {
		t.Fatal("an address is known for another client, or another address for this client")
	}
	if k.has("rp", "192.0.2.1", now.Add(knownTTL)) {
		t.Fatal("a success vouches after knownTTL")
	}
	for i := 0; i < maxKnownSources+100; i++ {
		k.add("rp", "10.0."+strconv.Itoa(i/256)+"."+strconv.Itoa(i%256), now)
	}
	if n := k.size(); n > maxKnownSources {
		t.Fatalf("%d entries, bound %d", n, maxKnownSources)
	}
	// Once the old entries expire a sweep makes room.
	later := now.Add(knownTTL + time.Minute)
	k.add("rp", "198.51.100.1", later)
	if !k.has("rp", "198.51.100.1", later) || k.size() != 1 {
		t.Fatalf("after expiry: known %v, %d entries", k.has("rp", "198.51.100.1", later), k.size())
	}
}
