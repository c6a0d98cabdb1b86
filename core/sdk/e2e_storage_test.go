package sdk_test

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/server/servertest"
)

// brokenStorage fails every write once broken is set (a full disk, a locked
// keychain).
type brokenStorage struct {
	*device.MemStorage
	broken atomic.Bool
}

func (b *brokenStorage) Set(k string, v []byte) error {
	if b.broken.Load() {
		return errors.New("disk full at /secret/path")
	}
	return b.MemStorage.Set(k, v)
}

// TestE2EStorageFailure: when the secure storage refuses writes, the flow
// ends with 8000 (its UI closed), the cause's text is not sent to the app,
// and the core keeps working once storage recovers.
func TestE2EStorageFailure(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	st := &brokenStorage{MemStorage: device.NewMemStorage()}
	a := newPhone(t, st, device.NewSoftKeyStore(nil))
	start(a, ts)
	reg := a.call(api.MethodRegisterUser, map[string]any{"identityProviderId": nil})
	loc := browserLogin(t, a.event(api.EventRegistration, "").Get("url").Str, ts.DemoUser, ts.DemoPassword)
	a.do(api.MethodHandleRegistrationCallback, map[string]any{"uri": loc})
	a.event(api.EventPinCreate, api.ActionOpen)
	st.broken.Store(true)
	a.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowCreate, "pin": goodPin})
	a.event(api.EventPinCreate, api.ActionClose)
	r := reg.wait()
	if dispatch.Code(r.Get("error.code").Int()) != dispatch.CodeInternal || strings.Contains(r.Raw, "/secret/path") {
		t.Fatalf("registration with failing storage: %s", r.Raw)
	}
	st.broken.Store(false)
	pid := register(a, ts.DemoUser, ts.DemoPassword)
	if ps := a.do(api.MethodGetUserProfiles, nil).Array(); len(ps) != 1 || ps[0].Get("id").Str != pid {
		t.Fatalf("profiles after recovery: %v", ps)
	}
}
