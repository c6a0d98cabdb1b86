// Package mobileauth implements mobile authentication with OTP on the device:
// enrollment (a new P-256 key in the KeyStore, a PKCS#10 CSR signed by it as
// proof of possession, the server's certificate stored) and the OTP state
// machine behind handleMobileAuthWithOtp: validate the OTP locally (10018),
// claim it (round trip 1), emit startAuthentication with the exact message of
// the claim, wait for accept or deny (or cancellation/timeout), sign the answer
// over that same message, send it (round trip 2), emit finishAuthentication and
// settle (resolve on accept, reject 9006 on deny). Exactly two device round
// trips per OTP flow.
package mobileauth
