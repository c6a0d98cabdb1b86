package store

// PushOTPHashPrefix starts the otp_hash of a push request: a random value
// no OTP hashes to (push requests have no OTP), which also tells the
// relying-party view that the request is a push one.
const PushOTPHashPrefix = "push:"

// PushTarget is the push registration of one mobile-auth enrollment.
type PushTarget struct {
	EnrollmentID  string
	Provider      string // fcm | apns | webpush
	Token         string // FCM or APNs token
	Endpoint      string // Web Push subscription
	P256dh        string
	Auth          string
	Invalid       bool   // the provider said the token is no longer valid
	InvalidReason string // the provider's reason code
	UpdatedAt     int64
	// Filled by PushTargetsOfUser from the enrollment.
	ProfileID string
}

// PushRequest records an open push request of a user.
type PushRequest struct {
	TransactionID string
	UserID        string
	CreatedAt     int64
	ExpiresAt     int64
}

// PushUserState is the creation back-off state of a user.
type PushUserState struct {
	UserID        string
	LastCreatedAt int64 // unix ms, 0 before the first push request
	Streak        int   // push requests created in a row without a quiet period
}

// PushJob is a row of the push outbox: one wake-up of one enrollment.
type PushJob struct {
	ID            string
	TransactionID string
	EnrollmentID  string
	ProfileID     string
	Attempts      int
	NextAttemptAt int64 // unix ms
	ExpiresAt     int64 // the request's expiry: no attempt after it
	DoneAt        int64 // unix ms, 0 while to be sent
	Outcome       string
	LastError     string
	CreatedAt     int64
}

// Outcomes of a finished push job.
const (
	PushDelivered    = "delivered"
	PushTokenInvalid = "token_invalid"
	PushFailed       = "failed"
	PushObsolete     = "obsolete" // answered, expired or no target any more before it was sent
)
