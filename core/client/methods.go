package client

import (
	"context"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
)

// Register adds startClient and getRedirectUri to d and releases connections when d closes.
// startClient's parameters override the app configuration of the client's
// Settings field by field; startClient() with none uses it as it is.
func (c *Client) Register(d *dispatch.Dispatcher) error {
	context.AfterFunc(d.Context(), c.Close)
	return api.Register(d,
		api.StartClient.Handle(func(ctx context.Context, p api.StartClientParams) (api.None, error) {
			return api.None{}, c.Start(ctx, ConfigFromParams(p, c.set.Defaults))
		}),
		api.GetRedirectURI.Handle(func(context.Context, api.None) (string, error) {
			reg, err := c.Registration()
			return reg.RedirectURI, err
		}),
	)
}
