package store

import (
	"context"
	"errors"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrConflict is returned when an insert collides with an existing row.
var ErrConflict = errors.New("store: already exists")

// ErrNotEnrolled is returned by ClaimOnce and AnswerOnce when the enrollment
// no longer exists (deregistration, override, PIN failures): nothing was
// changed and the proof's jti was not recorded.
var ErrNotEnrolled = errors.New("store: enrollment no longer exists")

// Transaction statuses as stored. "expired" is never stored: readers derive it
// from ExpiresAt.
const (
	StatusPending  = "pending"
	StatusClaimed  = "claimed"
	StatusAccepted = "accepted"
	StatusDenied   = "denied"
	StatusExpired  = "expired"
)

// Token kinds.
const (
	TokenAccess  = "access"
	TokenRefresh = "refresh"
	// TokenImplicit: an access token of a profile issued without its PIN
	// (implicit grant), limited to the implicit scopes; never refreshed.
	TokenImplicit = "implicit"
	// TokenDevice: an access token of the app client itself (client
	// credentials), no profile or user; never refreshed.
	TokenDevice = "device"
)

// APIClient is a relying party allowed to use the v4 API.
type APIClient struct {
	ID            string
	SecretHash    string   // HashAPISecret of the Basic-auth secret (VerifyAPISecret)
	CallbackKey   string   // HMAC key of the callback signature: usable, so sealed under the master key (server/atrest), not hashed
	CallbackKeyID string   // names CallbackKey in the X-OMA-Key-Id header ("legacy": the old secret)
	CallbackURIs  []string // allowed callback URIs (exact match)
	MaxMessageLen int      // 0 = server default (155)
	Disabled      bool
	CreatedAt     int64 // unix ms
}

// OTPType is a configured kind of authentication request.
type OTPType struct {
	Name            string
	ExpirySecs      int
	MessageTemplate string // "{message}" is replaced by the request's message
	Disabled        bool
	Push            bool // a push type: requests need user_id and wake the user's devices (DESIGN §12)
	// DESIGN §13: every request of the type carries a match code; the
	// accept needs user verification ("none" or "required").
	NumberMatching   bool
	UserVerification string
}

// Application is an app the operator allows to register clients (DESIGN
// §10): a registration names its ID and one of RedirectURIs exactly; when
// Platforms or Versions are not empty, the registration's platform or app
// version must be one of them.
type Application struct {
	ID           string
	Name         string // display name, shown on the login page
	RedirectURIs []string
	Platforms    []string // empty: any platform
	Versions     []string // empty: any version
	// SSOTargets are the target URIs an app of the application may ask an
	// app-to-web single sign-on URL for (exact match; empty: none).
	SSOTargets []string
	Disabled   bool
	CreatedAt  int64 // unix ms
}

// User is a user of the built-in identity provider.
type User struct {
	ID           string
	PasswordHash string
	CreatedAt    int64
	// Disabled: the operator disabled the user (no login, token, answer or
	// request for them; ops_users.go).
	Disabled bool
}

// Client is a registered app instance with its client key.
type Client struct {
	ID          string
	PublicKey   string // wire form (base64url PKIX DER)
	AppID       string
	AppVersion  string
	Platform    string
	RedirectURI string
	CreatedAt   int64
}

// AuthCode is an OAuth authorization code (stored by hash, single use).
type AuthCode struct {
	CodeHash      string
	ClientID      string
	UserID        string
	RedirectURI   string
	CodeChallenge string
	Scope         string
	ExpiresAt     int64
}

// Profile is a user registered on a client, with its server-side PIN hash.
type Profile struct {
	ID          string
	ClientID    string
	UserID      string
	PinHash     string
	PinFailures int
	Scope       string // granted at registration; PIN logins issue it again
	CreatedAt   int64
}

// Token is an access or refresh token, stored by hash.
type Token struct {
	Hash      string
	Kind      string
	ProfileID string
	ClientID  string
	UserID    string
	Scope     string
	Family    string // the login (code or PIN grant) the token descends from by rotation
	Used      bool   // a refresh token already rotated (kept to detect reuse)
	AMR       string // how the family's login was authenticated: protocol.AMRPin (default) or AMRBiometric
	ExpiresAt int64
}

// Enrollment is a mobile-authentication key of a profile.
type Enrollment struct {
	ID          string
	ProfileID   string
	ClientID    string
	UserID      string
	PublicKey   string // wire form
	Certificate string // base64url DER
	CreatedAt   int64
}

// Transaction is a mobile-authentication request of a relying party.
type Transaction struct {
	ID           string
	OTPHash      string
	APIClientID  string
	Type         string
	Message      string // exactly what the device shows
	CallbackURI  string
	LanguageCode string
	BoundUserID  string // "" for a request any enrolled user may answer
	Status       string
	Nonce        string
	ProfileID    string // claiming profile
	EnrollmentID string // claiming enrollment
	UserID       string // claiming user
	CreatedAt    int64  // unix ms
	ExpiresAt    int64  // unix ms
	AnsweredAt   int64  // unix ms, 0 until answered
	Extras       string // DESIGN §13: immutable anti-fatigue facts (JSON), "" without
	Outcome      string // DESIGN §13: how it was answered (JSON), "" for a plain answer
}

// Callback is a row of the durable callback outbox.
type Callback struct {
	ID            string
	APIClientID   string
	URL           string
	Body          string
	Attempts      int
	NextAttemptAt int64 // unix ms
	DeliveredAt   int64 // unix ms, 0 until delivered
	Dead          bool  // retry budget exhausted
	LastError     string
	CreatedAt     int64
}

// Store is the persistence interface: run fn in a read-write transaction
// (InTx) or a read-only one (View). Implementations retry nothing on their
// own: a failed fn rolls the transaction back.
type Store interface {
	InTx(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
	// Autocommit runs fn on a writable connection without an explicit
	// transaction: for a single statement (each statement commits alone).
	Autocommit(ctx context.Context, fn func(Tx) error) error
	// ClaimOnce atomically checks that enrollment e (id, client, profile)
	// still exists, records a proof id and claims a transaction for e (one
	// statement on PostgreSQL, one transaction on SQLite): ErrNotEnrolled
	// when e is gone (nothing changed, the jti not recorded); fresh is false
	// when the jti was seen before (then nothing changed); claimed is false
	// when the transaction was not pending or had expired.
	ClaimOnce(ctx context.Context, jti string, jtiExpiresAt int64, id string, e Enrollment, nonce string, now int64) (fresh, claimed bool, err error)
	// AnswerOnce is ClaimOnce's counterpart for the answer: it answers a
	// transaction claimed by e with nonce (status accepted or denied) and,
	// when cb is not nil and the answer was recorded, queues the callback.
	AnswerOnce(ctx context.Context, jti string, jtiExpiresAt int64, id string, e Enrollment, nonce, status string, now int64, cb *Callback) (fresh, answered bool, err error)
	Dialect() string // "sqlite" or "postgres"
	Close() error
}

// Tx is the set of operations available inside a transaction.
type Tx interface {
	// Settings (policy, CA key material, ...).
	GetSetting(ctx context.Context, key string) (string, error)
	PutSetting(ctx context.Context, key, value string) error
	DeleteSetting(ctx context.Context, key string) error
	// InsertSetting stores key only if absent; false when it already existed.
	InsertSetting(ctx context.Context, key, value string) (bool, error)

	// Relying parties and OTP types.
	CreateAPIClient(ctx context.Context, c APIClient) error
	UpdateAPIClient(ctx context.Context, c APIClient) error
	GetAPIClient(ctx context.Context, id string) (APIClient, error)
	ListAPIClients(ctx context.Context) ([]APIClient, error)
	PutOTPType(ctx context.Context, t OTPType) error
	GetOTPType(ctx context.Context, name string) (OTPType, error)
	ListOTPTypes(ctx context.Context) ([]OTPType, error)

	// Applications (DESIGN §10).
	CreateApplication(ctx context.Context, a Application) error
	UpdateApplication(ctx context.Context, a Application) error
	GetApplication(ctx context.Context, id string) (Application, error)
	ListApplications(ctx context.Context) ([]Application, error)
	DeleteApplication(ctx context.Context, id string) error

	// Identity providers and custom registrations (ops_idp.go, issue 17).
	CreateIdentityProvider(ctx context.Context, p IdentityProvider) error
	GetIdentityProvider(ctx context.Context, appID, id string) (IdentityProvider, error)
	// ListIdentityProviders lists one application's ("" = every
	// application's), ordered by application and id.
	ListIdentityProviders(ctx context.Context, appID string) ([]IdentityProvider, error)
	DeleteIdentityProvider(ctx context.Context, appID, id string) error
	// SetIdentityProviderWebhookKey replaces the stored webhook key (sealing
	// it under the master key; ErrNotFound when there is none).
	SetIdentityProviderWebhookKey(ctx context.Context, appID, id, key string) error
	CreateCustomRegistration(ctx context.Context, c CustomRegistration) error
	// TakeCustomRegistration deletes and returns the session (single use).
	TakeCustomRegistration(ctx context.Context, sessionHash string) (CustomRegistration, error)

	// App-to-web single sign-on and browser sessions (ops_sso.go, issue 17).
	CreateSSOToken(ctx context.Context, t SSOToken) error
	// TakeSSOToken deletes and returns the token (single use: of two
	// concurrent takes one gets ErrNotFound).
	TakeSSOToken(ctx context.Context, hash string) (SSOToken, error)
	CreateWebSession(ctx context.Context, s WebSession) error
	GetWebSession(ctx context.Context, hash string) (WebSession, error)
	DeleteWebSession(ctx context.Context, hash string) error
	// EndWebSessionsOfUser removes every browser session of userID (the
	// user deleted, disabled or their devices reset).
	EndWebSessionsOfUser(ctx context.Context, userID string) error

	// Identity provider users.
	CreateUser(ctx context.Context, u User) error
	GetUser(ctx context.Context, id string) (User, error)
	// LockUser serialises concurrent enrollments of one user (FOR UPDATE on
	// PostgreSQL; SQLite serialises writers anyway).
	LockUser(ctx context.Context, id string) error

	// App instances and the proof replay cache.
	CreateClient(ctx context.Context, c Client) error
	GetClient(ctx context.Context, id string) (Client, error)
	// UseJTI records a proof id; it reports false when the id was seen before.
	UseJTI(ctx context.Context, jti string, expiresAt int64) (bool, error)
	PurgeJTIs(ctx context.Context, now int64) (int64, error)
	// PurgeExpired deletes authorization codes and tokens expired before now,
	// transactions that expired before historyBefore, and delivered or
	// abandoned callbacks created before historyBefore; it returns the rows
	// deleted.
	PurgeExpired(ctx context.Context, now, historyBefore int64) (int64, error)

	// Authorization codes: TakeAuthCode deletes and returns the code.
	CreateAuthCode(ctx context.Context, c AuthCode) error
	TakeAuthCode(ctx context.Context, codeHash string) (AuthCode, error)
	// GetAuthCode reads a code without spending it.
	GetAuthCode(ctx context.Context, codeHash string) (AuthCode, error)

	// Profiles and PIN counters.
	CreateProfile(ctx context.Context, p Profile) error
	GetProfile(ctx context.Context, id string) (Profile, error)
	// LockProfile is GetProfile with the row locked until the transaction
	// ends (FOR UPDATE on PostgreSQL; SQLite has one writer): PIN checks,
	// token issue, enrollment and removal of one profile serialise on it.
	LockProfile(ctx context.Context, id string) (Profile, error)
	// AddPinFailure increments the failure counter and returns its new value.
	AddPinFailure(ctx context.Context, id string) (int, error)
	ResetPinFailures(ctx context.Context, id string) error
	// DeleteProfile removes the profile with its tokens and enrollments.
	DeleteProfile(ctx context.Context, id string) error

	// Tokens.
	CreateToken(ctx context.Context, t Token) error
	GetToken(ctx context.Context, hash string) (Token, error)
	DeleteToken(ctx context.Context, hash string) error
	// MarkTokenUsed marks a refresh token rotated; false when it already was.
	MarkTokenUsed(ctx context.Context, hash string) (bool, error)
	// DeleteTokenFamily revokes every token of a family.
	DeleteTokenFamily(ctx context.Context, family string) (int64, error)
	DeleteProfileTokens(ctx context.Context, profileID string) error

	// Enrollments.
	CreateEnrollment(ctx context.Context, e Enrollment) error
	GetEnrollment(ctx context.Context, id string) (Enrollment, error)
	EnrollmentsOfUser(ctx context.Context, userID string) ([]Enrollment, error)
	EnrollmentsOfProfile(ctx context.Context, profileID string) ([]Enrollment, error)
	DeleteEnrollment(ctx context.Context, id string) error

	// Transactions.
	CreateTransaction(ctx context.Context, t Transaction) error
	GetTransaction(ctx context.Context, id string) (Transaction, error)
	GetTransactionByOTPHash(ctx context.Context, otpHash string) (Transaction, error)
	// CreateTransactionForUser inserts t only if the user t.BoundUserID
	// exists, is not disabled and is not suspended at t.CreatedAt (one
	// statement); false, nothing inserted, when it does not or is
	// (UserDisabled and GetSuspension tell which).
	CreateTransactionForUser(ctx context.Context, t Transaction) (bool, error)
	// GetTransactionForClaim reads the transaction with otpHash (ErrNotFound
	// when none) and, in the same query, the first enrollment of profileID
	// on clientID in EnrollmentsOfProfile order (found false when none).
	GetTransactionForClaim(ctx context.Context, otpHash, profileID, clientID string) (tr Transaction, e Enrollment, found bool, err error)
	// GetTransactionWithEnrollment reads transaction id (ErrNotFound when
	// none) and, in the same query, the enrollment that claimed it (found
	// false when unclaimed or that enrollment is gone).
	GetTransactionWithEnrollment(ctx context.Context, id string) (tr Transaction, e Enrollment, found bool, err error)
	// ClaimTransaction moves a pending, unexpired transaction to claimed; it
	// reports false when it was not pending (or expired) any more.
	ClaimTransaction(ctx context.Context, id, profileID, enrollmentID, userID, nonce string, now int64) (bool, error)
	// AnswerTransaction moves a claimed, unexpired transaction claimed by
	// enrollmentID to status; false when another answer won or it expired.
	AnswerTransaction(ctx context.Context, id, enrollmentID, status string, now int64) (bool, error)
	// AnswerTransactionOutcome is AnswerTransaction that also checks the
	// nonce and records outcome (DESIGN §13).
	AnswerTransactionOutcome(ctx context.Context, id, enrollmentID, nonce, status, outcome string, now int64) (bool, error)

	// The callback outbox.
	EnqueueCallback(ctx context.Context, c Callback) error
	DueCallbacks(ctx context.Context, now int64, limit int) ([]Callback, error)
	// LeaseCallback pushes a due row's NextAttemptAt to until, if it still is
	// prev; false when another worker took it.
	LeaseCallback(ctx context.Context, id string, prev, until int64) (bool, error)
	MarkCallbackDelivered(ctx context.Context, id string, now int64) error
	RescheduleCallback(ctx context.Context, id string, attempts int, next int64, lastErr string, dead bool) error
	GetCallback(ctx context.Context, id string) (Callback, error)
	PendingCallbacks(ctx context.Context) (int, error)

	// User suspensions (DESIGN §13, ops_suspend.go).
	GetSuspension(ctx context.Context, userID string) (Suspension, error)
	PutSuspension(ctx context.Context, s Suspension) error
	// DeleteSuspension reports false when there was none.
	DeleteSuspension(ctx context.Context, userID string) (bool, error)

	// Push mobile authentication (ops_push.go).
	// PutPushTarget creates or replaces an enrollment's push registration
	// (valid again).
	PutPushTarget(ctx context.Context, p PushTarget) error
	GetPushTarget(ctx context.Context, enrollmentID string) (PushTarget, error)
	// PushTargetsOfUser lists the valid push registrations of the user's
	// existing enrollments.
	PushTargetsOfUser(ctx context.Context, userID string) ([]PushTarget, error)
	// InvalidatePushTarget marks the registration invalid if it still holds
	// token and endpoint (a device's update in the meantime wins).
	InvalidatePushTarget(ctx context.Context, enrollmentID, token, endpoint, reason string) (bool, error)
	// LockPushUser returns the user's back-off state, creating it, and locks
	// it until the transaction ends (FOR UPDATE on PostgreSQL).
	LockPushUser(ctx context.Context, userID string) (PushUserState, error)
	PutPushUser(ctx context.Context, s PushUserState) error
	CreatePushRequest(ctx context.Context, p PushRequest) error
	// OpenPushRequests lists the user's push requests that are unanswered
	// and unexpired at now (status pending, or claimed when withClaimed),
	// oldest first, at most limit.
	OpenPushRequests(ctx context.Context, userID string, now int64, withClaimed bool, limit int) ([]Transaction, error)
	IsPushRequest(ctx context.Context, transactionID string) (bool, error)
	// The push outbox, as the callback outbox.
	EnqueuePush(ctx context.Context, j PushJob) error
	DuePushes(ctx context.Context, now int64, limit int) ([]PushJob, error)
	LeasePush(ctx context.Context, id string, prev, until int64) (bool, error)
	FinishPush(ctx context.Context, id string, now int64, attempts int, outcome, lastErr string) error
	ReschedulePush(ctx context.Context, id string, attempts int, next int64, lastErr string) error
	GetPushJob(ctx context.Context, id string) (PushJob, error)
	// Authenticators and PIN change (ops_authenticators.go).
	PutAuthenticator(ctx context.Context, a Authenticator) error
	GetAuthenticator(ctx context.Context, profileID, typ string) (Authenticator, error)
	DeleteAuthenticator(ctx context.Context, profileID, typ string) (bool, error)
	CreateChallenge(ctx context.Context, c Challenge) error
	TakeChallenge(ctx context.Context, hash string) (Challenge, error)
	SetPinHash(ctx context.Context, profileID, pinHash string) error

	// PurgePush deletes push requests expired before historyBefore, finished
	// jobs created before it, and the registrations of removed enrollments.
	PurgePush(ctx context.Context, historyBefore int64) (int64, error)
}

// Suspension is a user whose user-bound requests are refused until Until
// (DESIGN §13: "this wasn't me", or too many wrong number picks).
type Suspension struct {
	UserID string
	Until  int64 // unix ms
	Reason string
	At     int64 // unix ms
}

// IdentityProvider is an identity provider of an application (issue 17):
// Kind "browser" (the login page) or "custom" (custom registration through
// the operator's backend at URL, webhooks signed with WebhookKey).
type IdentityProvider struct {
	ID         string
	AppID      string
	Name       string
	Kind       string
	URL        string
	WebhookKey string // HMAC key of the webhook signatures, sealed under the master key (server/atrest)
	CreatedAt  int64
}

// CustomRegistration is a custom registration between its init and complete
// steps (stored by hash of the session token, single use).
type CustomRegistration struct {
	SessionHash   string
	ClientID      string
	AppID         string
	IdPID         string
	Scope         string
	CodeChallenge string
	BackendRef    string // the id the backend saw at init (sent again at complete)
	ExpiresAt     int64
}

// SSOToken is a one-time app-to-web single sign-on token (issue 17), stored
// by hash, bound to what it was issued for.
type SSOToken struct {
	Hash      string
	ClientID  string
	ProfileID string
	UserID    string
	AppID     string
	Target    string // the exact allow-listed target URI
	ExpiresAt int64  // unix ms
}

// WebSession is a browser login session of the Token Server (stored by hash
// of its cookie value).
type WebSession struct {
	Hash      string
	UserID    string
	CreatedAt int64 // unix ms
	ExpiresAt int64 // unix ms
}
