// Package api is the typed SDK contract (DESIGN §11): every SDK method declared
// once with its params struct, its result type and the error codes it may
// answer (methods.go), and every event action with its own payload struct
// (events.go). Feature packages bind their handlers to the declarations
// (Decl.Handle), so the dispatcher decodes each call's params into the typed
// struct, and emit events through the declarations (EventDecl.Emit).
// cmd/contractgen writes the schema (js/src/generated/contract.json) and the
// TypeScript layer (method table, payload types, validators, js/README's method
// table) from these declarations; CI fails when they are stale.
package api
