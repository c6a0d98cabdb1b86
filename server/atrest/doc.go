// Package atrest seals the secrets the server must keep usable (not
// hashable) under the master key (DESIGN §10, issue 11 item 11): the
// per-client callback keys, the custom-registration webhook keys and the
// login form's CSRF key, in the same "kek1:" AES-256-GCM form as the
// enrollment CA's key (server/ca; the audit webhook key is sealed there
// too). Each sealed value is bound to its purpose and its row (the
// associated data), so a sealed key copied to another row or setting does
// not open.
//
// Without a master key values are stored and read as they are (the server
// warns); a sealed value then refuses to open (ErrMasterKeyNeeded). Seal
// brings a store's unsealed values under the key at start.
package atrest
