// Package api is the single source of the names and shapes shared between the Go
// core and the JavaScript package: method names, event names, event actions and
// event payload types. cmd/contractgen writes them, with the error code table, to
// js/src/generated/contract.json; the JS package is tested against that file and
// CI fails when it is stale.
package api
