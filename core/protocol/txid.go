package protocol

import (
	"crypto/rand"
	"encoding/hex"
)

// NewTransactionID returns a new relying-party transaction id: a random UUID,
// version 4 (RFC 9562 §5.4: 122 random bits, version nibble 4, variant bits 10),
// in the lowercase 8-4-4-4-12 form, as the Onegini Token Server v4 API
// documents transaction_id. Version 4 rather than 7: a time-ordered id would
// tell anyone holding one when the request was created.
//
// Ids are opaque to the server: transactions created before this format
// (22-character base64url strings) keep working.
func NewTransactionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // variant 10 (RFC 9562)
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:36], b[10:16])
	return string(out[:])
}
