package webpush

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
)

// MaxMessageSize bounds what Decrypt accepts. RFC 8030 §7.2 has push services
// carry at least 4096 octets; this is generous beyond that and only guards
// memory.
const MaxMessageSize = 64 << 10

const (
	saltLen    = 16
	headerLen  = saltLen + 4 + 1 // salt, rs, idlen (RFC 8188 §2.1)
	tagLen     = 16              // AEAD_AES_128_GCM tag
	minRecord  = tagLen + 1      // a tag and at least the padding delimiter
	minRS      = 18              // RFC 8188 §2: rs MUST be at least 18
	keyInfoStr = "WebPush: info\x00"
)

// Decrypt opens a push message body encrypted with the "aes128gcm" content
// coding for these keys and returns the plaintext.
//
// The body is the RFC 8188 §2.1 header (salt, record size rs, idlen, keyid)
// followed by the records. For Web Push the keyid is the application server's
// ephemeral ECDH public key as_public (RFC 8291 §4). The keys are derived as in
// RFC 8291 §3.3–§3.4:
//
//	ecdh_secret = ECDH(ua_private, as_public)
//	IKM         = HKDF(salt=auth_secret, ikm=ecdh_secret,
//	                   info="WebPush: info" || 0x00 || ua_public || as_public, L=32)
//
// and then as RFC 8188 §2.2–§2.3 with that IKM and the header's salt:
//
//	PRK   = HKDF-Extract(salt, IKM)
//	CEK   = HKDF-Expand(PRK, "Content-Encoding: aes128gcm" || 0x00, 16)
//	NONCE = HKDF-Expand(PRK, "Content-Encoding: nonce" || 0x00, 12) XOR SEQ
//
// Each record's plaintext ends with a delimiter octet (0x02 in the last
// record, 0x01 in the others) followed by zero or more 0x00 padding octets
// (RFC 8188 §2). RFC 8291 §4 has application servers send a single record;
// several are accepted here as RFC 8188 allows.
func (k *Keys) Decrypt(body []byte) ([]byte, error) {
	if len(body) > MaxMessageSize {
		return nil, ErrTooLarge
	}
	if len(body) < headerLen {
		return nil, ErrTruncated
	}
	salt := body[:saltLen]
	rs := binary.BigEndian.Uint32(body[saltLen : saltLen+4])
	idlen := int(body[saltLen+4])
	if rs < minRS {
		return nil, ErrRecordSize
	}
	if len(body) < headerLen+idlen {
		return nil, ErrTruncated
	}
	asPublic, err := ecdh.P256().NewPublicKey(body[headerLen : headerLen+idlen])
	if err != nil {
		return nil, ErrKeyID
	}
	records := body[headerLen+idlen:]
	if len(records) == 0 {
		return nil, ErrTruncated
	}

	aead, nonce, err := k.contentKeys(asPublic, salt)
	if err != nil {
		return nil, err
	}

	out := make([]byte, 0, len(records))
	iv := make([]byte, len(nonce))
	for seq := uint64(0); len(records) > 0; seq++ {
		n := len(records)
		if uint64(n) > uint64(rs) {
			n = int(rs)
		}
		rec := records[:n]
		records = records[n:]
		last := len(records) == 0
		if len(rec) < minRecord {
			return nil, ErrTruncated
		}
		// RFC 8188 §2.3: the nonce is NONCE XOR SEQ, SEQ as a 96-bit
		// big-endian integer.
		copy(iv, nonce)
		var s [8]byte
		binary.BigEndian.PutUint64(s[:], seq)
		for i := range s {
			iv[len(iv)-8+i] ^= s[i]
		}
		plain, err := aead.Open(rec[:0:0], iv, rec, nil)
		if err != nil {
			return nil, ErrDecrypt
		}
		end := len(plain) - 1
		for end >= 0 && plain[end] == 0 {
			end--
		}
		if end < 0 {
			return nil, ErrPadding
		}
		if (last && plain[end] != 2) || (!last && plain[end] != 1) {
			return nil, ErrPadding
		}
		out = append(out, plain[:end]...)
	}
	return out, nil
}

// contentKeys derives the AEAD (keyed with the CEK) and the base nonce for one
// message from the sender's public key and the header's salt.
func (k *Keys) contentKeys(asPublic *ecdh.PublicKey, salt []byte) (cipher.AEAD, []byte, error) {
	cek, nonce, err := k.deriveKeys(asPublic, salt)
	if err != nil {
		return nil, nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, nil, ErrDecrypt
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, nil, ErrDecrypt
	}
	return aead, nonce, nil
}

// deriveKeys is RFC 8291 §3.3-§3.4 and RFC 8188 §2.2-§2.3: the content
// encryption key and the base nonce.
func (k *Keys) deriveKeys(asPublic *ecdh.PublicKey, salt []byte) (cek, nonce []byte, err error) {
	secret, err := k.priv.ECDH(asPublic)
	if err != nil {
		return nil, nil, ErrKeyID
	}
	uaPublic := k.priv.PublicKey().Bytes()
	info := make([]byte, 0, len(keyInfoStr)+2*len(uaPublic))
	info = append(info, keyInfoStr...)
	info = append(info, uaPublic...)
	info = append(info, asPublic.Bytes()...)
	ikm, err := hkdf.Key(sha256.New, secret, k.auth, string(info), 32)
	if err != nil {
		return nil, nil, ErrDecrypt
	}
	prk, err := hkdf.Extract(sha256.New, ikm, salt)
	if err != nil {
		return nil, nil, ErrDecrypt
	}
	if cek, err = hkdf.Expand(sha256.New, prk, "Content-Encoding: aes128gcm\x00", 16); err != nil {
		return nil, nil, ErrDecrypt
	}
	if nonce, err = hkdf.Expand(sha256.New, prk, "Content-Encoding: nonce\x00", 12); err != nil {
		return nil, nil, ErrDecrypt
	}
	return cek, nonce, nil
}
