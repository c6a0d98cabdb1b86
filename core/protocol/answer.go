package protocol

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"errors"
	"strconv"
	"strings"
)

// answerDomain separates answer signatures from every other signature.
const answerDomain = "oma-mobile-auth-answer/v1"

// MessageHash is base64url SHA-256 of the exact UTF-8 message shown to the user.
func MessageHash(message string) string {
	h := sha256.Sum256([]byte(message))
	return B64.EncodeToString(h[:])
}

// AnswerPayload is the canonical byte string a device signs to answer: the
// domain, transaction id, decision, message hash, server nonce and decision time,
// one per line. Fields must not contain newlines (the server refuses such
// values).
func AnswerPayload(transactionID, decision, messageHash, nonce string, unixTime int64) []byte {
	return appendAnswerPayload(nil, transactionID, decision, messageHash, nonce, unixTime)
}

func appendAnswerPayload(b []byte, transactionID, decision, messageHash, nonce string, unixTime int64) []byte {
	b = append(b, answerDomain...)
	for _, f := range [...]string{transactionID, decision, messageHash, nonce} {
		b = append(b, '\n')
		b = append(b, f...)
	}
	b = append(b, '\n')
	return strconv.AppendInt(b, unixTime, 10)
}

// AnswerDigest is SHA-256 of AnswerPayload: what KeyStore.Sign signs.
func AnswerDigest(transactionID, decision, messageHash, nonce string, unixTime int64) [32]byte {
	var buf [256]byte
	return sha256.Sum256(appendAnswerPayload(buf[:0], transactionID, decision, messageHash, nonce, unixTime))
}

// SignAnswer fills a.Signature using sign over a's fields.
func SignAnswer(sign Signer, a *AnswerRequest) error {
	if err := checkAnswerFields(a); err != nil {
		return err
	}
	d := AnswerDigest(a.TransactionID, a.Decision, a.MessageHash, a.Nonce, a.Time)
	sig, err := sign(d[:])
	if err != nil {
		return err
	}
	a.Signature = B64.EncodeToString(sig)
	return nil
}

// VerifyAnswerSignature checks a.Signature (DER ECDSA) with the enrollment key pub.
func VerifyAnswerSignature(pub *ecdsa.PublicKey, a *AnswerRequest) error {
	if err := checkAnswerFields(a); err != nil {
		return err
	}
	sig, err := B64.DecodeString(a.Signature)
	if err != nil || len(sig) > 80 {
		return errors.New("protocol: malformed answer signature")
	}
	d := AnswerDigest(a.TransactionID, a.Decision, a.MessageHash, a.Nonce, a.Time)
	if !ecdsa.VerifyASN1(pub, d[:], sig) {
		return errors.New("protocol: answer signature does not verify")
	}
	return nil
}

func checkAnswerFields(a *AnswerRequest) error {
	if a.Decision != DecisionAccept && a.Decision != DecisionDeny {
		return errors.New("protocol: decision must be accept or deny")
	}
	for _, f := range []string{a.TransactionID, a.MessageHash, a.Nonce} {
		if f == "" || strings.ContainsAny(f, "\n\r") {
			return errors.New("protocol: empty or multi-line answer field")
		}
	}
	return nil
}
