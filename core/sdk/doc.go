// Package sdk assembles the SDK core: it creates the dispatcher, wires the device
// capabilities and registers every feature package's methods. The bridge and the
// tests construct the core only through New.
package sdk
