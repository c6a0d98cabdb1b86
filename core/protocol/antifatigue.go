package protocol

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"unicode/utf8"
)

// Anti-fatigue and user verification (DESIGN §13): number matching,
// "this wasn't me", structured details and user verification to approve.

// Structured details: at most MaxDetails label/value pairs, each label at
// most MaxDetailLabel and each value at most MaxDetailValue characters,
// both non-empty and checked with CheckDisplayText (the message's rule).
const (
	MaxDetails     = 10
	MaxDetailLabel = 40
	MaxDetailValue = 120
)

// Detail is one label/value pair shown under the message.
type Detail struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// CheckDetails applies the limits and the display-text rule to ds; the error
// names the offending pair (by index, from 0) and never holds its text.
func CheckDetails(ds []Detail) error {
	if len(ds) > MaxDetails {
		return fmt.Errorf("at most %d details", MaxDetails)
	}
	for i, d := range ds {
		if d.Label == "" || d.Value == "" {
			return fmt.Errorf("details[%d]: label and value are required", i)
		}
		if utf8.RuneCountInString(d.Label) > MaxDetailLabel {
			return fmt.Errorf("details[%d].label is longer than %d characters", i, MaxDetailLabel)
		}
		if utf8.RuneCountInString(d.Value) > MaxDetailValue {
			return fmt.Errorf("details[%d].value is longer than %d characters", i, MaxDetailValue)
		}
		if err := CheckDisplayText(d.Label); err != nil {
			return fmt.Errorf("details[%d].label: %w", i, err)
		}
		if err := CheckDisplayText(d.Value); err != nil {
			return fmt.Errorf("details[%d].value: %w", i, err)
		}
	}
	return nil
}

// DetailsHash is base64url SHA-256 over the details as length-prefixed
// fields (label, value, label, value, ...), so no two lists share a hash;
// "" for no details (the answer then signs the old, shorter digest unless
// another new field is present).
func DetailsHash(ds []Detail) string {
	if len(ds) == 0 {
		return ""
	}
	h := sha256.New()
	var n [4]byte
	put := func(s string) {
		l := len(s)
		n[0], n[1], n[2], n[3] = byte(l>>24), byte(l>>16), byte(l>>8), byte(l)
		h.Write(n[:])
		h.Write([]byte(s))
	}
	for _, d := range ds {
		put(d.Label)
		put(d.Value)
	}
	return B64.EncodeToString(h.Sum(nil))
}

// Number matching: the relying party shows a MatchCodeDigits-digit code; the
// phone shows MatchCandidates candidates, one of them the code.
const (
	MatchCodeDigits = 2
	MatchCandidates = 3
)

// NewMatchCode returns a random two-digit code ("10".."99": never a leading
// zero, so it reads the same everywhere) and MatchCandidates distinct
// candidates in random order, exactly one of them the code.
func NewMatchCode() (code string, candidates []string) {
	pick := func() int {
		n, err := rand.Int(rand.Reader, big.NewInt(90))
		if err != nil {
			panic("crypto/rand: " + err.Error())
		}
		return 10 + int(n.Int64())
	}
	c := pick()
	seen := map[int]bool{c: true}
	nums := []int{c}
	for len(nums) < MatchCandidates {
		if v := pick(); !seen[v] {
			seen[v] = true
			nums = append(nums, v)
		}
	}
	// Fisher-Yates with crypto randomness: the position tells nothing.
	for i := len(nums) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			panic("crypto/rand: " + err.Error())
		}
		nums[i], nums[j.Int64()] = nums[j.Int64()], nums[i]
	}
	for _, v := range nums {
		candidates = append(candidates, fmt.Sprint(v))
	}
	return fmt.Sprint(c), candidates
}

// Deny reasons (AnswerRequest.Reason) and the relying party's
// not_authenticated_reason values they lead to.
const (
	ReasonNotMe      = "not_me"      // the user says they did not start this request
	ReasonWrongMatch = "wrong_match" // set by the server: the pick was not the code
)

// User verification per OTP type and the methods an answer can carry
// (AnswerRequest.VerificationMethod).
const (
	UserVerificationNone     = "none"
	UserVerificationRequired = "required"
	VerificationPIN          = "pin" // AnswerRequest.Pin, verified by the server
	// VerificationBiometric: AnswerRequest.UVSignature, the profile's
	// registered biometric key's signature over the answer digest
	// (VerifyUVSignature), verified by the server.
	VerificationBiometric = "biometric"
)

// ErrAnswerField is returned for a malformed new answer field.
var ErrAnswerField = errors.New("protocol: malformed answer field")
