package bridge

import "github.com/openmobileauth/oma/core/dispatch"

// DispatcherForTest returns the running core's dispatcher (nil when not started),
// so black-box tests can register test-only methods (events, panics, slow calls).
// It exists only in test builds and is therefore invisible to gobind.
func DispatcherForTest() *dispatch.Dispatcher {
	mu.RLock()
	defer mu.RUnlock()
	if current == nil {
		return nil
	}
	return current.Dispatcher()
}
