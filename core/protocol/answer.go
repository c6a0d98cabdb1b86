package protocol

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"errors"
	"strconv"
	"strings"
)

// answerDomain separates answer signatures from every other signature;
// answerDomainV2 is the extended digest of DESIGN §13.
const (
	answerDomain   = "oma-mobile-auth-answer/v1"
	answerDomainV2 = "oma-mobile-auth-answer/v2"
)

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

// Extended reports whether a carries any field of the extended answer
// (DESIGN §13): then it signs AnswerDigestV2, else the original digest, so
// answers to requests without the new fields verify as before.
func (a *AnswerRequest) Extended() bool {
	return a.DetailsHash != "" || a.MatchPick != "" || a.VerificationMethod != "" || a.Reason != ""
}

// AnswerPayloadV2 is the extended canonical byte string (DESIGN §13): the v2
// domain, transaction id, decision, message hash, details hash, match pick,
// nonce, time, verification method and deny reason, one per line (empty
// lines for absent fields).
func AnswerPayloadV2(a *AnswerRequest) []byte {
	b := []byte(answerDomainV2)
	for _, f := range [...]string{a.TransactionID, a.Decision, a.MessageHash, a.DetailsHash, a.MatchPick, a.Nonce} {
		b = append(b, '\n')
		b = append(b, f...)
	}
	b = append(b, '\n')
	b = strconv.AppendInt(b, a.Time, 10)
	for _, f := range [...]string{a.VerificationMethod, a.Reason} {
		b = append(b, '\n')
		b = append(b, f...)
	}
	return b
}

// AnswerDigestOf is the digest a's signature covers: AnswerDigest, or
// SHA-256 of AnswerPayloadV2 when a is Extended.
func AnswerDigestOf(a *AnswerRequest) [32]byte {
	if a.Extended() {
		return sha256.Sum256(AnswerPayloadV2(a))
	}
	return AnswerDigest(a.TransactionID, a.Decision, a.MessageHash, a.Nonce, a.Time)
}

// SignAnswer fills a.Signature using sign over a's fields.
func SignAnswer(sign Signer, a *AnswerRequest) error {
	if err := checkAnswerFields(a); err != nil {
		return err
	}
	d := AnswerDigestOf(a)
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
	d := AnswerDigestOf(a)
	if !ecdsa.VerifyASN1(pub, d[:], sig) {
		return errors.New("protocol: answer signature does not verify")
	}
	return nil
}

// User verification by the biometric authenticator (DESIGN §13, issue 15).
// The ceremony is stateless: no extra challenge round trip. The answer's
// claim nonce is already a fresh server challenge bound to the transaction
// and single-use (the answer is recorded exactly once), and the extended
// digest (AnswerPayloadV2) binds the transaction id, the decision, the
// message, details and pick, the nonce, the time and the verification
// method; the biometric key signs that same digest, so the user-verified
// signature covers exactly what the device key's does. Its domain
// (oma-mobile-auth-answer/v2) differs from the biometric login's
// (ChallengeDigest, oma-biometric-login/v1): a signature of one ceremony is
// never valid in the other.

// SignUV fills a.UVSignature with signUV (the biometric key behind its
// prompt) over AnswerDigestOf(a); a.VerificationMethod must be
// VerificationBiometric (it is part of the digest).
func SignUV(signUV Signer, a *AnswerRequest) error {
	if a.VerificationMethod != VerificationBiometric {
		return errors.New("protocol: a biometric verification needs verification_method biometric")
	}
	if err := checkAnswerFields(a); err != nil {
		return err
	}
	d := AnswerDigestOf(a)
	sig, err := signUV(d[:])
	if err != nil {
		return err
	}
	a.UVSignature = B64.EncodeToString(sig)
	return nil
}

// VerifyUVSignature checks a.UVSignature (DER ECDSA) with the profile's
// registered biometric key pub over AnswerDigestOf(a).
func VerifyUVSignature(pub *ecdsa.PublicKey, a *AnswerRequest) error {
	if a.VerificationMethod != VerificationBiometric {
		return errors.New("protocol: not a biometric verification")
	}
	if err := checkAnswerFields(a); err != nil {
		return err
	}
	sig, err := B64.DecodeString(a.UVSignature)
	if err != nil || len(sig) == 0 || len(sig) > 80 {
		return errors.New("protocol: malformed user-verification signature")
	}
	d := AnswerDigestOf(a)
	if !ecdsa.VerifyASN1(pub, d[:], sig) {
		return errors.New("protocol: user-verification signature does not verify")
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
	for _, f := range []string{a.DetailsHash, a.MatchPick, a.VerificationMethod, a.Reason} {
		if len(f) > 64 || strings.ContainsAny(f, "\n\r") {
			return ErrAnswerField
		}
	}
	return nil
}
