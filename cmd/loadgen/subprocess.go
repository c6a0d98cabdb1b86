package main

import (
	"context"
	"errors"
	"io"

	"github.com/openmobileauth/oma/server/loadgen"
)

// startSubprocess runs the tokenserver binary on storeURL as a subprocess.
func startSubprocess(ctx context.Context, o *options, storeURL string, rcv *loadgen.Receiver, stderr io.Writer) (*target, error) {
	return nil, errors.New("--subprocess: not available yet")
}
