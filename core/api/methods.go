package api

import "github.com/openmobileauth/oma/core/dispatch"

// Method names of the dispatcher, as the JS API calls them (Onegini names).
const (
	MethodStartClient                  = "startClient"
	MethodRegisterUser                 = "registerUser"
	MethodHandleRegistrationCallback   = "handleRegistrationCallback"
	MethodCancelBrowserRegistration    = "cancelBrowserRegistration"
	MethodSubmitPin                    = "submitPin"
	MethodCancelPinCreation            = "cancelPinCreation"
	MethodCancelPinAuthentication      = "cancelPinAuthentication"
	MethodAuthenticateUser             = "authenticateUser"
	MethodLogout                       = "logout"
	MethodDeregisterUser               = "deregisterUser"
	MethodGetUserProfiles              = "getUserProfiles"
	MethodGetAuthenticatedUserProfile  = "getAuthenticatedUserProfile"
	MethodEnrollMobileAuthentication   = "enrollMobileAuthentication"
	MethodIsUserEnrolledForMobileAuth  = "isUserEnrolledForMobileAuth"
	MethodHandleMobileAuthWithOtp      = "handleMobileAuthWithOtp"
	MethodAcceptMobileAuthConfirmation = "acceptMobileAuthConfirmation"
	MethodDenyMobileAuthConfirmation   = "denyMobileAuthConfirmation"
	MethodGetAccessToken               = "getAccessToken"
	MethodResourceRequest              = "resourceRequest"
	MethodPing                         = "ping"
	MethodGetVersion                   = "getVersion"
	MethodGetRedirectURI               = "getRedirectUri"

	MethodGetResourceBaseURL                    = "getResourceBaseUrl"
	MethodAuthenticateUserImplicitly            = "authenticateUserImplicitly"
	MethodAuthenticateDeviceForResource         = "authenticateDeviceForResource"
	MethodGetImplicitlyAuthenticatedUserProfile = "getImplicitlyAuthenticatedUserProfile"

	MethodEnrollUserForMobileAuthWithPush        = "enrollUserForMobileAuthWithPush"
	MethodIsUserEnrolledForMobileAuthWithPush    = "isUserEnrolledForMobileAuthWithPush"
	MethodCanHandlePushMessage                   = "canHandlePushMessage"
	MethodHandleMobileAuthWithPushRequest        = "handleMobileAuthWithPushRequest"
	MethodGetPendingMobileAuthWithPushRequests   = "getPendingMobileAuthWithPushRequests"
	MethodHandlePendingMobileAuthWithPushRequest = "handlePendingMobileAuthWithPushRequest"
)

// The declarations: each method once, with its params type, its result type
// and the error codes it may answer (besides 8000 and 8009). The order is the
// order of the generated tables.
var (
	StartClient = declare[StartClientParams, None](MethodStartClient,
		"Starts the SDK client: validates the configuration and registers this app instance with the server when needed.",
		server(dispatch.CodeConfiguration, dispatch.CodeAlreadyStarted)...)
	RegisterUser = declare[RegisterUserParams, AuthData](MethodRegisterUser,
		"Registers a new user: emits the registration URL, waits for the callback, then for a new PIN.",
		server(dispatch.CodeNotStarted, dispatch.CodeCancelled, dispatch.CodeActionInProgress,
			dispatch.CodeInvalidIdentityProvider, dispatch.CodeCustomRegistrationExpired, dispatch.CodeCustomRegistrationFailure)...)
	HandleRegistrationCallback = declare[HandleRegistrationCallbackParams, None](MethodHandleRegistrationCallback,
		"Hands the redirect URI the browser ended on to the running registration.",
		dispatch.CodeNotStarted, dispatch.CodeNoFlowInProgress)
	CancelBrowserRegistration = declare[None, None](MethodCancelBrowserRegistration,
		"Cancels a registration waiting for its browser callback; registerUser rejects with 9006.",
		dispatch.CodeNotStarted, dispatch.CodeNoFlowInProgress)
	SubmitPin = declare[SubmitPinParams, None](MethodSubmitPin,
		"Answers a PIN event: creates the PIN or authenticates with it.",
		dispatch.CodeNotStarted, dispatch.CodeNoFlowInProgress)
	CancelPinCreation = declare[None, None](MethodCancelPinCreation,
		"Cancels the PIN creation that is waiting; the registration rejects with 9006.",
		dispatch.CodeNotStarted, dispatch.CodeNoFlowInProgress)
	CancelPinAuthentication = declare[None, None](MethodCancelPinAuthentication,
		"Cancels the PIN entry that is waiting; the authentication rejects with 9006.",
		dispatch.CodeNotStarted, dispatch.CodeNoFlowInProgress)
	AuthenticateUser = declare[AuthenticateUserParams, AuthData](MethodAuthenticateUser,
		"Authenticates a registered user with the PIN, or with the biometric authenticator (its id, or null when it is the preferred one): fingerprint events, then accept, deny or fall back to the PIN.",
		server(dispatch.CodeNotStarted, dispatch.CodeProfileNotFound, dispatch.CodeWrongPin, dispatch.CodeUserDeregistered, dispatch.CodeCancelled, dispatch.CodeActionInProgress,
			dispatch.CodeAuthenticatorNotSupported, dispatch.CodeAuthenticatorNotRegistered, dispatch.CodeAuthenticatorDeregistered, dispatch.CodeBiometricFailure)...)
	Logout = declare[None, None](MethodLogout,
		"Logs the authenticated user out (revokes the session's tokens).",
		dispatch.CodeNotStarted, dispatch.CodeNoProfileAuthenticated, dispatch.CodeNotAuthenticated)
	DeregisterUser = declare[ProfileParams, None](MethodDeregisterUser,
		"Removes a profile from this device and the server.",
		server(dispatch.CodeNotStarted, dispatch.CodeProfileNotFound)...)
	GetUserProfiles = declare[None, []UserProfile](MethodGetUserProfiles,
		"Lists the profiles registered on this device.",
		dispatch.CodeNotStarted)
	GetAuthenticatedUserProfile = declare[None, UserProfile](MethodGetAuthenticatedUserProfile,
		"The profile currently authenticated.",
		dispatch.CodeNotStarted, dispatch.CodeNoProfileAuthenticated, dispatch.CodeNotAuthenticated)
	EnrollMobileAuthentication = declare[None, None](MethodEnrollMobileAuthentication,
		"Enrolls this device for mobile authentication for the authenticated user.",
		server(dispatch.CodeNotStarted, dispatch.CodeNoProfileAuthenticated, dispatch.CodeNotAuthenticated, dispatch.CodeDeviceAlreadyEnrolled, dispatch.CodeEnrollmentNotAvailable, dispatch.CodeEnrolledOnAnotherDevice, dispatch.CodeActionInProgress, dispatch.CodeUserDeregistered)...)
	IsUserEnrolledForMobileAuth = declare[ProfileParams, bool](MethodIsUserEnrolledForMobileAuth,
		"Tells whether a profile is enrolled for mobile authentication on this device.",
		dispatch.CodeNotStarted, dispatch.CodeProfileNotFound)
	HandleMobileAuthWithOtp = declare[OtpParams, None](MethodHandleMobileAuthWithOtp,
		"Handles a mobile authentication OTP; settles when the whole flow ends (9006 after a deny).",
		server(dispatch.CodeNotStarted, dispatch.CodeNotHandleable, dispatch.CodeRequestNotFound, dispatch.CodeAlreadyHandled, dispatch.CodeNotEnrolled, dispatch.CodeUserDisenrolled, dispatch.CodeActionInProgress, dispatch.CodeCancelled, dispatch.CodeUserDeregistered)...)
	AcceptMobileAuthConfirmation = declare[AcceptMobileAuthParams, None](MethodAcceptMobileAuthConfirmation,
		"Accepts the mobile authentication request shown to the user (with number matching: the number the user picked, 8009 when missing or not a candidate).",
		dispatch.CodeNotStarted, dispatch.CodeNoMobileAuthInProgress, dispatch.CodeBadParameters)
	DenyMobileAuthConfirmation = declare[DenyMobileAuthParams, None](MethodDenyMobileAuthConfirmation,
		"Denies the mobile authentication request shown to the user; reason not_me reports that the user did not start it (the server suspends requests for that user).",
		dispatch.CodeNotStarted, dispatch.CodeNoMobileAuthInProgress)
	GetAccessToken = declare[None, string](MethodGetAccessToken,
		"The authenticated user's access token (refreshed when it expired).",
		server(dispatch.CodeNotStarted, dispatch.CodeNoProfileAuthenticated, dispatch.CodeNotAuthenticated, dispatch.CodeUserDeregistered)...)
	ResourceRequest = declare[ResourceRequestParams, ResourceResponse](MethodResourceRequest,
		"Calls a resource with the token of its type: User (the authenticated user's), ImplicitUser (authenticateUserImplicitly's) or Anonymous (authenticateDeviceForResource's); an absolute URL must be under getResourceBaseUrl (8005 otherwise, nothing sent), a path is on the configured server.",
		server(dispatch.CodeNotStarted, dispatch.CodeNoProfileAuthenticated, dispatch.CodeNotAuthenticated, dispatch.CodeUserDeregistered,
			dispatch.CodeResourceCallError, dispatch.CodeNotAuthenticatedImplicitly, dispatch.CodeDeviceNotAuthenticated)...)
	GetResourceBaseURL = declare[None, string](MethodGetResourceBaseURL,
		"The resource base URL (the configured server's /resources); resourceRequest sends tokens only under it or to paths of the server.",
		dispatch.CodeNotStarted)
	AuthenticateUserImplicitly = declare[ImplicitAuthParams, None](MethodAuthenticateUserImplicitly,
		"Gets a limited-scope token for a profile registered on this device without its PIN (scopes the server allows implicitly, default read), for ImplicitUser resource requests.",
		server(dispatch.CodeNotStarted, dispatch.CodeProfileNotFound, dispatch.CodeUserDeregistered)...)
	AuthenticateDeviceForResource = declare[ScopesParams, None](MethodAuthenticateDeviceForResource,
		"Gets a device token of this app client (client credentials with the device key; scopes the server allows for devices, default read), for Anonymous resource requests.",
		server(dispatch.CodeNotStarted)...)
	GetImplicitlyAuthenticatedUserProfile = declare[None, UserProfile](MethodGetImplicitlyAuthenticatedUserProfile,
		"The profile of the valid implicit token (9026 when none).",
		dispatch.CodeNotStarted, dispatch.CodeNotAuthenticatedImplicitly)
	GetRedirectURI = declare[None, string](MethodGetRedirectURI,
		"The redirect URI of the started client's configuration (the one registration ends on).",
		dispatch.CodeNotStarted)
	EnrollUserForMobileAuthWithPush = declare[PushEnrollParams, PushEnrollResult](MethodEnrollUserForMobileAuthWithPush,
		"Registers this device's push target (an FCM or APNs token, or a Web Push subscription) on an enrolled profile's mobile-auth enrollment; call again when the token changes.",
		dispatch.CodeNotStarted, dispatch.CodeProfileNotFound, dispatch.CodeNotEnrolled, dispatch.CodeUserDisenrolled, dispatch.CodeNetwork, dispatch.CodeServerNotReachable, dispatch.CodeGeneral)
	IsUserEnrolledForMobileAuthWithPush = declare[ProfileParams, bool](MethodIsUserEnrolledForMobileAuthWithPush,
		"Tells whether a profile has a push target registered from this device.",
		dispatch.CodeNotStarted, dispatch.CodeProfileNotFound)
	CanHandlePushMessage = declare[PushMessageParams, bool](MethodCanHandlePushMessage,
		"Tells whether a received push's data is a mobile authentication request for a profile enrolled on this device (og_transaction_id and og_profile_id at the root or under content).",
		dispatch.CodeNotStarted)
	HandleMobileAuthWithPushRequest = declare[PushMessageParams, None](MethodHandleMobileAuthWithPushRequest,
		"Handles a received push: claims the request it names and runs the same confirmation flow as an OTP (mobile auth events, accept or deny); settles when the flow ends (9006 after a deny).",
		dispatch.CodeNotStarted, dispatch.CodeNotHandleable, dispatch.CodeRequestNotFound, dispatch.CodeAlreadyHandled, dispatch.CodeNotEnrolled, dispatch.CodeUserDisenrolled,
		dispatch.CodeActionInProgress, dispatch.CodeCancelled, dispatch.CodeNetwork, dispatch.CodeServerNotReachable, dispatch.CodeGeneral)
	GetPendingMobileAuthWithPushRequests = declare[None, []PendingMobileAuthRequest](MethodGetPendingMobileAuthWithPushRequests,
		"Lists the open push requests of the profiles enrolled on this device (the pull fallback when a push did not arrive).",
		dispatch.CodeNotStarted, dispatch.CodeNetwork, dispatch.CodeServerNotReachable, dispatch.CodeGeneral)
	HandlePendingMobileAuthWithPushRequest = declare[PendingRequestParams, None](MethodHandlePendingMobileAuthWithPushRequest,
		"Handles one request of getPendingMobileAuthWithPushRequests as handleMobileAuthWithPushRequest does.",
		dispatch.CodeNotStarted, dispatch.CodeNotHandleable, dispatch.CodeRequestNotFound, dispatch.CodeAlreadyHandled, dispatch.CodeNotEnrolled, dispatch.CodeUserDisenrolled,
		dispatch.CodeActionInProgress, dispatch.CodeCancelled, dispatch.CodeNetwork, dispatch.CodeServerNotReachable, dispatch.CodeGeneral)
	Ping       = declareInternal[None, PingResult](MethodPing, "Answers {pong: true} (answered by the dispatcher).")
	GetVersion = declareInternal[None, VersionResult](MethodGetVersion, "The core's version and protocol (answered by the dispatcher).")
)

// server adds the codes of any call to the server: 9000 network, 9001 not
// reachable, 9002 device deregistered, 9100 rate limited (project-specific), 10000 unexpected answer.
func server(codes ...dispatch.Code) []dispatch.Code {
	return append(codes, dispatch.CodeNetwork, dispatch.CodeServerNotReachable, dispatch.CodeDeviceDeregistered,
		dispatch.CodeRateLimited, dispatch.CodeGeneral)
}

func declareInternal[P, R any](name, doc string) Decl[P, R] {
	d := declare[P, R](name, doc)
	d.Internal = true
	return d
}

// StartClientParams is the configuration startClient takes.
type StartClientParams struct {
	ServerURL         string `json:"serverUrl,omitempty" doc:"The Token Server's base URL; https except on loopback or with allowInsecureHttp (8001 when missing)."`
	AppID             string `json:"appId,omitempty" doc:"The application identifier registered on the server."`
	AppVersion        string `json:"appVersion,omitempty" doc:"The application version registered on the server."`
	RedirectURI       string `json:"redirectUri,omitempty" doc:"The redirect URI that ends browser registration (the app's custom scheme)."`
	AllowInsecureHTTP bool   `json:"allowInsecureHttp,omitempty" doc:"Accept plain HTTP to a non-loopback host (development only)."`
	PinnedCertSHA256  string `json:"pinnedCertSha256,omitempty" doc:"Pin the server certificate: base64 of the SHA-256 of its SubjectPublicKeyInfo."`
}

// RegisterUserParams are registerUser's parameters.
type RegisterUserParams struct {
	IdentityProviderID *string  `json:"identityProviderId,omitempty" doc:"The identity provider, or null for the server's default."`
	Scopes             []string `json:"scopes,omitempty" doc:"The scopes to request (default: openid)."`
}

// HandleRegistrationCallbackParams are handleRegistrationCallback's parameters.
type HandleRegistrationCallbackParams struct {
	URI string `json:"uri" oma:"nonempty" doc:"The redirect URI the browser ended on."`
}

// SubmitPinParams are submitPin's parameters.
type SubmitPinParams struct {
	Flow string `json:"flow" enum:"Create,Authentication" doc:"The flow of the PIN event being answered."`
	Pin  string `json:"pin" oma:"nonempty" doc:"The PIN (a secret: never logged)."`
}

// AuthenticateUserParams are authenticateUser's parameters.
type AuthenticateUserParams struct {
	ProfileID       string  `json:"profileId" oma:"nonempty"`
	AuthenticatorID *string `json:"authenticatorId,omitempty" doc:"PIN, a BiometricAuthenticatorIds value, or null for the preferred authenticator."`
}

// ProfileParams name one profile.
type ProfileParams struct {
	ProfileID string `json:"profileId" oma:"nonempty"`
}

// AcceptMobileAuthParams are acceptMobileAuthConfirmation's optional parameters.
type AcceptMobileAuthParams struct {
	MatchCode string `json:"matchCode,omitempty" doc:"Number matching: the candidate the user picked (required when the request has matchCandidates)."`
}

// DenyMobileAuthParams are denyMobileAuthConfirmation's optional parameters.
type DenyMobileAuthParams struct {
	Reason string `json:"reason,omitempty" enum:"not_me" doc:"not_me: the user did not start this request (\"this wasn't me\")."`
}

// OtpParams carry a mobile authentication OTP.
type OtpParams struct {
	Otp string `json:"otp" doc:"The OTP from the QR code (a secret: never logged); a malformed one answers 10018."`
}

// PushEnrollParams name a push target: pushToken (with provider fcm or apns)
// or webPushSubscription.
type PushEnrollParams struct {
	ProfileID           string    `json:"profileId,omitempty" doc:"The enrolled profile (default: the authenticated one, else the only enrolled one)."`
	Provider            string    `json:"provider,omitempty" enum:"fcm,apns,webpush" doc:"fcm (Android) or apns (iOS) with pushToken; webpush with webPushSubscription (the default when one is given)."`
	PushToken           string    `json:"pushToken,omitempty" doc:"The FCM registration token or the APNs device token (hex)."`
	WebPushSubscription JSONValue `json:"webPushSubscription,omitempty" doc:"A Web Push subscription as PushSubscription.toJSON() gives it: {endpoint, keys: {p256dh, auth}} (e.g. from a UnifiedPush distributor)."`
}

// PushEnrollResult is what a push registration tells the app.
type PushEnrollResult struct {
	VapidPublicKey string `json:"vapidPublicKey,omitempty" doc:"The server's Web Push application server key (VAPID, base64url P-256 point; the server's vapid_public_key), when it sends Web Push: subscribe with it as applicationServerKey (then enroll again with that subscription). Absent without a Web Push sender."`
}

// PushMessageParams carry the data of a received push.
type PushMessageParams struct {
	Data JSONValue `json:"data" doc:"The push's data object as the messaging library delivered it."`
}

// PendingRequestParams carry one pending request.
type PendingRequestParams struct {
	Request JSONValue `json:"request" doc:"An element of getPendingMobileAuthWithPushRequests (transactionId and profileId are used)."`
}

// PendingMobileAuthRequest is an open push request of an enrolled profile.
type PendingMobileAuthRequest struct {
	TransactionID string      `json:"transactionId"`
	UserProfile   UserProfile `json:"userProfile"`
	Message       string      `json:"message" doc:"The text the request will ask the user to confirm."`
	Type          string      `json:"type"`
	Date          int64       `json:"date" doc:"Creation time, unix milliseconds."`
	TimeToLive    int64       `json:"timeToLive" doc:"Milliseconds left until it expires."`
	// DESIGN §13, as in MobileAuthenticationRequest (absent for requests without them).
	Details          []TransactionDetail `json:"details,omitempty" doc:"Label/value pairs the request will show under the message (the answer signs exactly these)."`
	MatchCandidates  []string            `json:"matchCandidates,omitempty" doc:"Number matching: the numbers the request will offer; the user picks the one the relying party's page shows."`
	UserVerification string              `json:"userVerification,omitempty" enum:"required" doc:"required: accepting will ask for user verification (the PIN, or the registered biometric authenticator when it is the preferred one)."`
}

// Resource request types (the official Types.ResourceRequestType values).
const (
	ResourceUser         = "User"
	ResourceImplicitUser = "ImplicitUser"
	ResourceAnonymous    = "Anonymous"
)

// ImplicitAuthParams are authenticateUserImplicitly's parameters.
type ImplicitAuthParams struct {
	ProfileID string   `json:"profileId" oma:"nonempty"`
	Scopes    []string `json:"scopes,omitempty" doc:"The scopes to request (default: the server's implicit scopes)."`
}

// ScopesParams are authenticateDeviceForResource's parameters.
type ScopesParams struct {
	Scopes []string `json:"scopes,omitempty" doc:"The scopes to request (default: the server's device scopes)."`
}

// ResourceRequestParams describe a resource request.
type ResourceRequestParams struct {
	Type    string            `json:"type,omitempty" enum:"User,ImplicitUser,Anonymous" doc:"Whose token: User (default), ImplicitUser or Anonymous."`
	Method  string            `json:"method,omitempty" enum:"GET,POST,PUT,DELETE,PATCH,HEAD" oma:"fold" doc:"The HTTP method (default GET)."`
	Path    string            `json:"path" oma:"nonempty" doc:"An absolute URL under getResourceBaseUrl (e.g. base + '/user-id'), or an absolute path on the configured server."`
	Headers map[string]string `json:"headers,omitempty" doc:"Extra request headers (not Authorization, DPoP, Host, Content-Length)."`
	Body    JSONValue         `json:"body,omitempty" doc:"The request body: text, or JSON sent as application/json."`
}

// AuthData is what registerUser and authenticateUser resolve to.
type AuthData struct {
	UserProfile UserProfile `json:"userProfile"`
	CustomInfo  *CustomInfo `json:"customInfo,omitempty" doc:"After a custom registration: the backend's answer to the complete step."`
}

// ResourceResponse is what resourceRequest resolves to, whatever the status.
type ResourceResponse struct {
	OK      bool              `json:"ok" doc:"The status is 2xx."`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

// PingResult is ping's answer.
type PingResult struct {
	Pong bool `json:"pong"`
}

// VersionResult is getVersion's answer.
type VersionResult struct {
	Version  string `json:"version"`
	Protocol int    `json:"protocol"`
}
