package client

import (
	"context"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
)

// Register adds startClient to d and releases connections when d closes.
func (c *Client) Register(d *dispatch.Dispatcher) error {
	context.AfterFunc(d.Context(), c.Close)
	return d.Register(api.MethodStartClient, func(ctx context.Context, call *dispatch.Call) (any, error) {
		cfg, err := ConfigFromCall(call)
		if err != nil {
			return nil, err
		}
		return nil, c.Start(ctx, cfg)
	})
}
