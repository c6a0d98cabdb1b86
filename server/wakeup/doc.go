// Package wakeup is the Token Server's wake-up hub: long polls and
// server-sent event streams wait on a transaction id and are woken when
// that transaction changes, in this process or, through Hub.Publish
// (PostgreSQL LISTEN/NOTIFY, store.Notifier), in another instance.
package wakeup
