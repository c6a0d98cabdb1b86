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
)

// Decisions of an answer.
const (
	DecisionAccept = "accept"
	DecisionDeny   = "deny"
)
