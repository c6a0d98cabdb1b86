package protocol

// Device API paths, relative to the server's base URL.
const (
	PathClients      = "/device/v1/clients"
	PathToken        = "/device/v1/token"
	PathLogout       = "/device/v1/logout"
	PathDeregister   = "/device/v1/deregister"
	PathEnroll       = "/device/v1/mobile-auth/enroll"
	PathClaim        = "/device/v1/mobile-auth/claim"
	PathAnswer       = "/device/v1/mobile-auth/answer"
	PathUserInfo     = "/device/v1/userinfo"
	PathAuthorize    = "/oauth/authorize"
	PathOpenAPI      = "/openapi.yaml"
	HeaderDPoP       = "DPoP"
	AuthSchemeDPoP   = "DPoP"
	ContentTypeJSON  = "application/json"
	MaxRequestBody   = 64 << 10 // bytes; the server refuses larger device requests
	ProofMaxAgeSecs  = 60       // a proof's iat may be at most this far from the server's clock
	AnswerMaxAgeSecs = 60       // an answer's time may be at most this far from the server's clock
)

// Grant types of PathToken.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantPin               = "pin"
	GrantRefreshToken      = "refresh_token"
	// GrantClientCredentials is device authentication (RFC 6749 §4.4): a
	// token of the registered app client itself, no user, DPoP-bound to the
	// client key, limited to the server's device scopes.
	GrantClientCredentials = "client_credentials"
	// GrantImplicit is implicit user authentication: a token of a profile
	// registered on this client without its PIN, DPoP-bound to the client key,
	// limited to the server's implicit scopes (never the user's full scope).
	GrantImplicit = "urn:oma:params:grant-type:implicit"
)

// The example resource endpoints (DESIGN §14, issue 17): the server's
// resource base URL is the server URL + PathResources.
const (
	PathResources       = "/resources/"
	PathResourceProfile = "/resources/profile" // user token (PIN login), scope openid
	PathResourceUserID  = "/resources/user-id" // user or implicit token, implicit scope read
	PathResourceDevices = "/resources/devices" // device (client-credentials) token, scope read
)

// ScopeRead is the default scope of implicit and device tokens.
const ScopeRead = "read"

// Decisions of an answer.
const (
	DecisionAccept = "accept"
	DecisionDeny   = "deny"
)
