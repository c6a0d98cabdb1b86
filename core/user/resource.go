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

// resourceRequest sends an authenticated request (access token + DPoP proof)
// to a path of the server and answers {status, headers, body} whatever the
// status; only paths of the configured server are allowed.
func (u *Users) resourceRequest(ctx context.Context, p api.ResourceRequestParams) (api.ResourceResponse, error) {
	method := strings.ToUpper(p.Method)
	if method == "" {
		method = "GET"
	}
	if !resourceMethods[method] {
		return api.ResourceResponse{}, dispatch.Errorf(dispatch.CodeBadParameters, `parameter "method" must be one of GET, POST, PUT, PATCH, DELETE, HEAD`)
	}
	path := p.Path
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") || strings.ContainsAny(path, "\\ \r\n#") {
		return api.ResourceResponse{}, dispatch.Errorf(dispatch.CodeBadParameters, `parameter "path" must be an absolute path on the configured server`)
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
	err := u.WithToken(ctx, func(_, tok string) error {
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
	return api.ResourceResponse{Status: resp.Status, Headers: resp.Headers, Body: resp.Body}, nil
}
