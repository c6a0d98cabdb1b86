package protocol

// ClientRegistrationRequest is the body of POST PathClients. The DPoP proof of
// this request carries ClientKey in its "jwk" header (no kid yet). AppID names
// a configured, enabled application and RedirectURI is one of its redirect
// URIs, compared byte for byte (DESIGN §10); otherwise the server answers
// ErrInvalidClientMetadata or ErrInvalidRedirectURI.
type ClientRegistrationRequest struct {
	AppID       string `json:"app_id"`       // the application (tokenserver app create --id)
	AppVersion  string `json:"app_version"`  // checked when the application lists versions
	Platform    string `json:"platform"`     // "android", "ios", "desktop"
	ClientKey   string `json:"client_key"`   // base64url (no padding) PKIX DER of the P-256 client key
	RedirectURI string `json:"redirect_uri"` // the app's registration redirect URI
}

// ClientRegistrationResponse answers PathClients.
type ClientRegistrationResponse struct {
	ClientID  string `json:"client_id"`
	PinLength int    `json:"pin_length"`
}

// TokenRequest is the body of POST PathToken.
type TokenRequest struct {
	GrantType    string `json:"grant_type"`
	Code         string `json:"code,omitempty"`
	CodeVerifier string `json:"code_verifier,omitempty"`
	RedirectURI  string `json:"redirect_uri,omitempty"`
	Pin          string `json:"pin,omitempty"` // the new PIN (authorization_code) or the PIN to verify (pin)
	ProfileID    string `json:"profile_id,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Challenge    string `json:"challenge,omitempty"` // GrantBiometric: from PathAuthenticatorChallenge
	Signature    string `json:"signature,omitempty"` // GrantBiometric: base64url DER over ChallengeDigest
	// Scope: space-separated scopes asked for by the client_credentials and
	// implicit grants (empty: the server's default for that grant).
	Scope string `json:"scope,omitempty"`
}

// TokenResponse answers PathToken. Tokens are bound to the client key: every
// use needs a DPoP proof with ath = AccessTokenHash(AccessToken).
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"` // "DPoP"
	ExpiresIn    int    `json:"expires_in"` // seconds
	RefreshToken string `json:"refresh_token,omitempty"`
	ProfileID    string `json:"profile_id"`
	UserID       string `json:"user_id"`
	Scope        string `json:"scope,omitempty"`
}

// DeregisterRequest is the body of POST PathDeregister (client DPoP, no token
// needed): it removes the profile's registration, tokens and enrollments.
type DeregisterRequest struct {
	ProfileID string `json:"profile_id"`
}

// EnrollRequest is the body of POST PathEnroll (with the access token).
type EnrollRequest struct {
	CSR string `json:"csr"` // base64url PKCS#10 DER, signed by the new enrollment key
}

// EnrollResponse answers PathEnroll.
type EnrollResponse struct {
	EnrollmentID string `json:"enrollment_id"`
	Certificate  string `json:"certificate"` // base64url X.509 DER
}

// ClaimRequest is the body of POST PathClaim (client DPoP; the profile must be
// enrolled on this client).
type ClaimRequest struct {
	OTP       string `json:"otp"`
	ProfileID string `json:"profile_id"`
}

// ClaimResponse answers PathClaim: what the user is asked to confirm.
type ClaimResponse struct {
	TransactionID string `json:"transaction_id"`
	Message       string `json:"message"` // exactly what the device shows and signs over
	Type          string `json:"type"`
	Nonce         string `json:"nonce"`
	ExpiresAt     int64  `json:"expires_at"` // unix seconds
	ProfileID     string `json:"profile_id"`
	UserID        string `json:"user_id"`
	// DESIGN §13, absent for requests without them: structured details
	// shown under the message (the answer signs DetailsHash of exactly
	// these), number-matching candidates (the user picks the code the
	// relying party shows; the pick is signed) and the user verification
	// the accept needs ("required": the answer carries the PIN).
	Details          []Detail `json:"details,omitempty"`
	MatchCandidates  []string `json:"match_candidates,omitempty"`
	UserVerification string   `json:"user_verification,omitempty"`
}

// AnswerRequest is the body of POST PathAnswer (client DPoP).
type AnswerRequest struct {
	TransactionID string `json:"transaction_id"`
	ProfileID     string `json:"profile_id"`
	Decision      string `json:"decision"`     // DecisionAccept or DecisionDeny
	MessageHash   string `json:"message_hash"` // MessageHash(message shown)
	Nonce         string `json:"nonce"`
	Time          int64  `json:"time"`      // unix seconds when the user decided
	Signature     string `json:"signature"` // base64url DER ECDSA by the enrollment key over AnswerDigestOf
	// DESIGN §13 (any of them set: the signature covers AnswerPayloadV2).
	DetailsHash        string `json:"details_hash,omitempty"`        // DetailsHash(details shown)
	MatchPick          string `json:"match_pick,omitempty"`          // the candidate the user picked
	VerificationMethod string `json:"verification_method,omitempty"` // VerificationPIN when Pin is sent
	Reason             string `json:"reason,omitempty"`              // deny only: ReasonNotMe
	// Pin is the user's PIN for a request whose type requires user
	// verification; the server verifies it with the profile's failure
	// counter. Not signed (the DPoP proof binds the request).
	Pin string `json:"pin,omitempty"`
	// UVSignature is the biometric factor (VerificationMethod
	// VerificationBiometric): base64url DER ECDSA by the profile's registered
	// biometric key over the same AnswerDigestOf as Signature (SignUV). Not
	// itself signed; it signs everything Signature does.
	UVSignature string `json:"uv_signature,omitempty"`
}

// AnswerResponse answers PathAnswer.
type AnswerResponse struct {
	TransactionID string `json:"transaction_id"`
	Status        string `json:"status"` // "accepted" or "denied"
}

// UserInfoResponse answers GET PathUserInfo (with the access token).
type UserInfoResponse struct {
	UserID    string `json:"user_id"`
	ProfileID string `json:"profile_id"`
	Enrolled  bool   `json:"enrolled"`
}

// ErrorResponse is every device API error body.
type ErrorResponse struct {
	Error             string `json:"error"`
	ErrorDescription  string `json:"error_description,omitempty"`
	RemainingAttempts *int   `json:"remaining_attempts,omitempty"`
}
