package sdk

import (
	"github.com/openmobileauth/oma/core/client"
	"github.com/openmobileauth/oma/core/mobileauth"
	"github.com/openmobileauth/oma/core/store"
	"github.com/openmobileauth/oma/core/user"
)

// registrars lists every feature package's method registration, in order.
// Feature packages (client, user, mobileauth) are added here.
var registrars = []Registrar{registerDeviceFeatures}

// registerDeviceFeatures builds the client, user and mobile-authentication
// features over one shared store and client, and registers their methods.
func registerDeviceFeatures(d *Deps) error {
	c := client.NewWithSettings(store.New(d.Storage), d.Keys, d.Log, d.Client)
	if err := c.Register(d.Dispatcher); err != nil {
		return err
	}
	u := user.New(c, d.Dispatcher.Emit)
	u.Biometric = d.Biometric
	if d.FlowTimeout > 0 {
		u.Timeout = d.FlowTimeout
	}
	if err := u.Register(d.Dispatcher); err != nil {
		return err
	}
	m := mobileauth.New(c, u, d.Dispatcher.Emit)
	if d.FlowTimeout > 0 {
		m.Timeout = d.FlowTimeout
	}
	return m.Register(d.Dispatcher)
}
