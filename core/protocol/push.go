package protocol

// Push mobile authentication (DESIGN §12): the device registers a push
// target on its mobile-auth enrollment; a push carries only the ids
// (og_transaction_id, og_profile_id, og_server); the device then lists or
// fetches its user's open push requests and claims one by id, and answers
// it with PathAnswer exactly as an OTP request.
const (
	PathPushRegister = "/device/v1/mobile-auth/push"         // POST PushRegisterRequest
	PathPushPending  = "/device/v1/mobile-auth/push/pending" // GET ?profile_id=
	PathPushRequest  = "/device/v1/mobile-auth/push/requests/"
	PathPushClaim    = "/device/v1/mobile-auth/push/claim" // POST PushClaimRequest → ClaimResponse
)

// Push providers a device can register with.
const (
	PushProviderFCM     = "fcm"
	PushProviderAPNs    = "apns"
	PushProviderWebPush = "webpush"
)

// Push payload keys: what every push carries, and all it carries.
const (
	PushKeyTransactionID = "og_transaction_id"
	PushKeyProfileID     = "og_profile_id"
	PushKeyServer        = "og_server"
)

// AuthMethodPush is the relying party's auth_method of a push request.
const AuthMethodPush = "PUSH"

// PushRegisterRequest is the body of POST PathPushRegister (client DPoP; the
// profile must be enrolled for mobile authentication on this client). FCM
// and APNs take Token; Web Push takes the subscription (Endpoint, and the
// receiver's P256dh and Auth keys in base64url as PushSubscription.getKey
// gives them). A new registration replaces the enrollment's previous one.
type PushRegisterRequest struct {
	ProfileID string `json:"profile_id"`
	Provider  string `json:"provider"`
	Token     string `json:"token,omitempty"`
	Endpoint  string `json:"endpoint,omitempty"`
	P256dh    string `json:"p256dh,omitempty"`
	Auth      string `json:"auth,omitempty"`
}

// PushRegisterResponse answers PathPushRegister.
type PushRegisterResponse struct {
	ProfileID string `json:"profile_id"`
	Provider  string `json:"provider"`
	// VAPIDPublicKey is the server's Web Push application server key (the
	// applicationServerKey a subscription is made with), when it has one.
	VAPIDPublicKey string `json:"vapid_public_key,omitempty"`
}

// PendingRequest is one open push request of the device's user.
type PendingRequest struct {
	TransactionID string `json:"transaction_id"`
	ProfileID     string `json:"profile_id"`
	Type          string `json:"type"`
	Message       string `json:"message"`
	CreatedAt     int64  `json:"created_at"` // unix seconds
	ExpiresAt     int64  `json:"expires_at"` // unix seconds
	// DESIGN §13, as in ClaimResponse (absent for requests without them):
	// the structured details, the number-matching candidates and the user
	// verification the accept needs, so a list can show what will be asked.
	// The claim (PathPushClaim) carries them again; the answer signs the
	// claim's.
	Details          []Detail `json:"details,omitempty"`
	MatchCandidates  []string `json:"match_candidates,omitempty"`
	UserVerification string   `json:"user_verification,omitempty"`
}

// PendingResponse answers PathPushPending: open (unclaimed, unexpired)
// push requests of the profile's user, oldest first.
type PendingResponse struct {
	Requests []PendingRequest `json:"requests"`
}

// PushClaimRequest is the body of POST PathPushClaim (client DPoP).
type PushClaimRequest struct {
	TransactionID string `json:"transaction_id"`
	ProfileID     string `json:"profile_id"`
}
