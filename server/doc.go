// Package server assembles the Token Server: Config, New, Handler (device API,
// relying-party API, login page, OpenAPI document), background work (callback
// outbox worker, replay-cache purge), graceful shutdown, admin operations
// (API clients, OTP types, users, policy) and SeedDemo.
package server
