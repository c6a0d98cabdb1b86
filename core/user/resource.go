package user

import (
	"context"
	"net/http"
	"strings"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/client"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/tidwall/gjson"
)

var resourceMethods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true}

// reservedHeaders may not be set by the app: the core sets them.
var reservedHeaders = map[string]bool{"authorization": true, "dpop": true, "host": true, "content-length": true}

// resourceRequest sends an authenticated request (access token of the
// request's type + DPoP proof) to a path of the server or a URL under the
// resource base URL and answers {ok, status, headers, body} whatever the
// status; a URL anywhere else is refused before any token is attached.
func (u *Users) resourceRequest(ctx context.Context, p api.ResourceRequestParams) (api.ResourceResponse, error) {
	if err := u.c.Started(); err != nil {
		return api.ResourceResponse{}, err
	}
	method := strings.ToUpper(p.Method)
	if method == "" {
		method = "GET"
	}
	if !resourceMethods[method] {
		return api.ResourceResponse{}, dispatch.Errorf(dispatch.CodeBadParameters, `parameter "method" must be one of GET, POST, PUT, PATCH, DELETE, HEAD`)
	}
	if strings.ContainsAny(p.Path, "\\ \r\n\t#@") {
		return api.ResourceResponse{}, dispatch.Errorf(dispatch.CodeBadParameters, `parameter "path" must be a URL under the resource base URL or an absolute path on the configured server`)
	}
	path, err := u.resourcePath(p.Path)
	if err != nil {
		return api.ResourceResponse{}, err
	}
	headers := map[string]string{}
	for k, v := range p.Headers {
		if reservedHeaders[strings.ToLower(k)] || strings.ContainsAny(k+v, "\r\n") {
			return api.ResourceResponse{}, dispatch.Errorf(dispatch.CodeBadParameters, `parameter "headers" must map names to strings and may not set Authorization, DPoP, Host or Content-Length`)
		}
		headers[http.CanonicalHeaderKey(k)] = v
	}
	var body []byte
	switch b := gjson.Parse(string(p.Body)); {
	case p.Body == "" || b.Type == gjson.Null:
	case b.Type == gjson.String:
		body = []byte(b.Str)
	case b.IsObject() || b.IsArray():
		body = []byte(b.Raw)
		if _, ok := headers["Content-Type"]; !ok {
			headers["Content-Type"] = "application/json"
		}
	default:
		return api.ResourceResponse{}, dispatch.Errorf(dispatch.CodeBadParameters, `parameter "body" must be a string or a JSON object`)
	}
	var resp *client.Response
	if p.Type == api.ResourceImplicitUser || p.Type == api.ResourceAnonymous {
		implicit := p.Type == api.ResourceImplicitUser
		t, err := u.limitedToken(implicit)
		if err != nil {
			return api.ResourceResponse{}, err
		}
		if resp, err = u.c.Raw(ctx, method, path, headers, body, t.token); err != nil {
			return api.ResourceResponse{}, err
		}
		if resp.Status == http.StatusUnauthorized && gjson.Get(resp.Body, "error").Str == protocol.ErrInvalidToken {
			u.forgetLimited(implicit, t.token) // expired or revoked there: authenticate again
		}
		return response(resp), nil
	}
	err = u.WithToken(ctx, func(_, tok string) error {
		var err error
		resp, err = u.c.Raw(ctx, method, path, headers, body, tok)
		if err == nil && resp.Status == http.StatusUnauthorized && gjson.Get(resp.Body, "error").Str == protocol.ErrInvalidToken {
			return &client.ServerError{Status: resp.Status, Body: protocol.ErrorResponse{Error: protocol.ErrInvalidToken}}
		}
		return err
	})
	if se, ok := client.AsServerError(err); ok && resp != nil && se.Status == resp.Status {
		err = nil // the refused answer after a failed retry is still an answer
	}
	if err != nil {
		return api.ResourceResponse{}, err
	}
	return response(resp), nil
}

func response(r *client.Response) api.ResourceResponse {
	return api.ResourceResponse{OK: r.Status >= 200 && r.Status < 300, Status: r.Status, Headers: r.Headers, Body: r.Body}
}
