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
//   - Sequence (8015): consecutive digits going up or down, wrapping
//     around between 9 and 0 (12345, 98765, 78901, 21098);
//   - Blacklisted (9011): two digits alternating (12121, 9090) or one of a
//     short list of the most used PINs (Blacklist).
//
// The codes follow the Onegini SDK's PIN validation codes (9011 blacklisted,
// 9013 similar digits, 9014 wrong length) except for sequences: Onegini uses
// 9012 there, which in this project's code table already means "rate limited"
// (core/dispatch CodeRateLimited), so a sequence keeps the generic 8015
// PIN_NOT_ALLOWED.
package pinpolicy
