// Package pinpolicy is the one PIN policy of the SDK core and the Token
// Server (issue 11, item 12: the two used to drift). It imports nothing but
// the standard library, so both sides use the same code: the SDK (core/user)
// checks a new PIN before sending it, the server (server/device) checks it
// again before hashing it.
//
// A PIN is refused for exactly one reason, checked in this order:
//
//   - WrongLength (9014): not exactly the configured number of characters;
//   - NotDigits (8015): a character other than 0-9;
//   - SimilarDigits (9013): one digit repeated throughout (11111);
//   - Sequence (9012): consecutive digits going up or down, wrapping
//     around between 9 and 0 (12345, 98765, 78901, 21098);
//   - Blacklisted (9011): two digits alternating (12121, 9090) or one of a
//     short list of the most used PINs (Blacklist).
//
// The codes are the Onegini SDK's PIN validation codes (9011 blacklisted,
// 9012 sequence, 9013 similar digits, 9014 wrong length), so an app comparing
// with SDKError.PinIsASequence sees a sequence. Onegini has no code for a
// non-digit character; that keeps this project's generic 8015
// PIN_NOT_ALLOWED. ("Rate limited" used to be 9012 too; it is now the
// project-specific 9100, core/dispatch CodeRateLimited.)
package pinpolicy
