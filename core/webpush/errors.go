package webpush

// Error is a decryption or key failure with a stable code. Its text never
// holds key material or message content.
type Error struct{ Code string }

func (e *Error) Error() string { return "webpush: " + e.Code }

// The errors Decrypt and ParseKeys return.
var (
	ErrBadKeys    = &Error{"bad_keys"}        // not a P-256 scalar or a 16-byte secret
	ErrTruncated  = &Error{"truncated"}       // shorter than the RFC 8188 header or a record's tag
	ErrRecordSize = &Error{"bad_record_size"} // rs below 18 (RFC 8188 §2)
	ErrKeyID      = &Error{"bad_keyid"}       // keyid is not a P-256 uncompressed point (RFC 8291 §4)
	ErrDecrypt    = &Error{"decrypt_failed"}  // AEAD authentication failed
	ErrPadding    = &Error{"bad_padding"}     // no delimiter, or the wrong one (RFC 8188 §2)
	ErrTooLarge   = &Error{"too_large"}       // more than MaxMessageSize octets
)
