package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/openmobileauth/oma/internal/weblogin"
)

// webLogin logs in on the server's login page the way a browser would: it
// loads the page at loginURL, then POSTs username and password with the
// page's hidden fields (the CSRF token) and cookie to the same URL, and
// returns the address the server redirects to (the app's registration
// callback with the authorization code).
func webLogin(ctx context.Context, loginURL, username, password string) (string, error) {
	u, err := url.Parse(loginURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("the login URL %q is not an http(s) URL", loginURL)
	}
	loc, err := weblogin.Login(ctx, &http.Client{Timeout: 30 * time.Second}, loginURL, username, password)
	var se *weblogin.StatusError
	switch {
	case errors.Is(err, weblogin.ErrRefused):
		return "", errors.New("the login page refused the username or password")
	case errors.As(err, &se):
		return "", fmt.Errorf("the %s answered HTTP %d", se.Op, se.Status)
	case err != nil:
		return "", err
	}
	return loc.String(), nil
}
