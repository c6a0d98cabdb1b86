package api

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
)

// Methods lists every method of the JS API in a stable order.
var Methods = []string{
	MethodStartClient, MethodRegisterUser, MethodHandleRegistrationCallback, MethodCancelBrowserRegistration,
	MethodSubmitPin, MethodCancelPinCreation, MethodCancelPinAuthentication, MethodAuthenticateUser,
	MethodLogout, MethodDeregisterUser, MethodGetUserProfiles, MethodGetAuthenticatedUserProfile,
	MethodEnrollMobileAuthentication, MethodIsUserEnrolledForMobileAuth, MethodHandleMobileAuthWithOtp,
	MethodAcceptMobileAuthConfirmation, MethodDenyMobileAuthConfirmation, MethodGetAccessToken,
	MethodResourceRequest, MethodPing, MethodGetVersion,
}
