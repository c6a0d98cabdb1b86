// Package testutil holds small helpers shared by the project's tests and test
// servers. It depends on the standard library only.
package testutil
