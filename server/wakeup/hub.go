package wakeup

import "sync"

// Hub wakes waiters (long polls, server-sent events) when a transaction
// changes in this process and, through Publish (PostgreSQL LISTEN/NOTIFY,
// store.Notifier), in other server instances. Waiters also re-read the
// store periodically, in case a notification was lost.
type Hub struct {
	mu      sync.Mutex
	waiters map[string]*hubEntry
	// Publish, when set (before use), is told every Notify so other
	// instances can wake their waiters (they call NotifyLocal).
	Publish func(id string)
}

type hubEntry struct {
	ch chan struct{}
	n  int
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{waiters: map[string]*hubEntry{}} }

// Subscribe returns a channel closed at the next Notify(id) and a release
// function the waiter must call when it stops waiting.
func (h *Hub) Subscribe(id string) (<-chan struct{}, func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.waiters[id]
	if !ok {
		e = &hubEntry{ch: make(chan struct{})}
		h.waiters[id] = e
	}
	e.n++
	var once sync.Once
	return e.ch, func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			e.n--
			if e.n == 0 && h.waiters[id] == e {
				delete(h.waiters, id)
			}
		})
	}
}

// Notify wakes every waiter of id here and, through Publish, elsewhere.
func (h *Hub) Notify(id string) {
	h.NotifyLocal(id)
	if h.Publish != nil {
		h.Publish(id)
	}
}

// NotifyLocal wakes every waiter of id in this process.
func (h *Hub) NotifyLocal(id string) {
	h.mu.Lock()
	e, ok := h.waiters[id]
	delete(h.waiters, id)
	h.mu.Unlock()
	if ok {
		close(e.ch)
	}
}

// Len is the number of ids with waiters (for tests).
func (h *Hub) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.waiters)
}
