package api

import "github.com/openmobileauth/oma/core/dispatch"

// App-to-web single sign-on (issue 17), as the official OneWelcome React
// Native SDK names it (startSingleSignOn → Types.SingleSignOnData) and the
// Cordova plugin (onegini.user.getAppToWebSingleSignOn).

// MethodStartSingleSignOn is the method name.
const MethodStartSingleSignOn = "startSingleSignOn"

// StartSingleSignOn is the declaration.
var StartSingleSignOn = declare[SingleSignOnParams, SingleSignOnData](MethodStartSingleSignOn,
	"Asks the server for a one-time, short-lived URL that signs the browser in as the authenticated user and lands on url, which must be one of the application's allow-listed single sign-on targets (10023 otherwise; 9010 without an authenticated user). Open the returned url in the browser.",
	server(dispatch.CodeNotStarted, dispatch.CodeNotAuthenticated, dispatch.CodeSingleSignOnDisabled, dispatch.CodeUserDeregistered)...)

// SingleSignOnParams are startSingleSignOn's parameters.
type SingleSignOnParams struct {
	URL string `json:"url" oma:"nonempty" doc:"The target page: an absolute http(s) URL the operator allow-listed for this application (exact match)."`
}

// SingleSignOnData is startSingleSignOn's result (Types.SingleSignOnData).
type SingleSignOnData struct {
	URL   string `json:"url" doc:"The one-time sign-on URL on the Token Server: open it in the browser (valid about a minute, once)."`
	Token string `json:"token" doc:"The url's token parameter, as a convenience."`
}
