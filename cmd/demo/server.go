package main

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/push"
)

// demoPushType is the demo's push OTP type: requests with user_id wake the
// user's phone instead of showing a QR code.
const demoPushType = "demo-push"

// demoSeed is what the welcome text and the demo page need of the seed.
type demoSeed struct {
	clientID, clientSecret, otpType string
	otpExpiry                       time.Duration
	user, password                  string
}

// startServer starts the Token Server on storeURL with base as its public
// URL, seeds the demo data and sets the demo OTP type's expiry.
func startServer(ctx context.Context, o options, storeURL, base string) (*server.Server, demoSeed, error) {
	// Push (DESIGN §12): Web Push to loopback receivers ('phone listen' plays
	// the UnifiedPush distributor), with a VAPID key made for this run. Loopback
	// endpoints are allowed: this is the demo, never a deployment's setting.
	vapid, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return nil, demoSeed{}, err
	}
	srv, err := server.New(ctx, server.Config{
		ListenAddr: o.listen, PublicBaseURL: base, StoreURL: storeURL, LogLevel: o.logLevel,
		// The demo's relying party and phone run on this machine.
		AllowPrivateEgress: true,
		Push: push.Config{WebPush: &push.WebPushConfig{VAPIDPrivateKey: base64.RawURLEncoding.EncodeToString(vapid.Bytes()),
			Subject: "mailto:demo@localhost", AllowPrivateEndpoints: true}},
	})
	if err != nil {
		return nil, demoSeed{}, fmt.Errorf("starting the Token Server: %w", err)
	}
	seed, err := srv.SeedDemo(ctx)
	if err == nil {
		// Set every start, so a short expiry from an earlier run does not stick.
		err = srv.Admin().PutOTPType(ctx, seed.OTPType, o.otpExpiry, "{message}")
	}
	if err == nil {
		err = srv.Admin().PutOTPType(ctx, demoPushType, o.otpExpiry, "{message}")
	}
	if err == nil {
		err = srv.Admin().SetOTPTypePush(ctx, demoPushType, true)
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
