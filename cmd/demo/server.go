package main

import (
	"context"
	"fmt"
	"time"

	"github.com/openmobileauth/oma/server"
)

// demoSeed is what the welcome text and the demo page need of the seed.
type demoSeed struct {
	clientID, clientSecret, otpType string
	otpExpiry                       time.Duration
	user, password                  string
}

// startServer starts the Token Server on storeURL with base as its public
// URL, seeds the demo data and sets the demo OTP type's expiry.
func startServer(ctx context.Context, o options, storeURL, base string) (*server.Server, demoSeed, error) {
	srv, err := server.New(ctx, server.Config{
		ListenAddr: o.listen, PublicBaseURL: base, StoreURL: storeURL, LogLevel: o.logLevel,
	})
	if err != nil {
		return nil, demoSeed{}, fmt.Errorf("starting the Token Server: %w", err)
	}
	seed, err := srv.SeedDemo(ctx)
	if err == nil {
		// Set every start, so a short expiry from an earlier run does not stick.
		err = srv.Admin().PutOTPType(ctx, seed.OTPType, o.otpExpiry, "{message}")
	}
	if err != nil {
		srv.Close()
		return nil, demoSeed{}, fmt.Errorf("seeding the demo data: %w", err)
	}
	return srv, demoSeed{
		clientID: seed.APIClientID, clientSecret: seed.APIClientSecret, otpType: seed.OTPType,
		otpExpiry: o.otpExpiry, user: seed.Username, password: seed.Password,
	}, nil
}
