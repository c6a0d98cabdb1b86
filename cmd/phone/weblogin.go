package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"
)

var (
	inputTag = regexp.MustCompile(`(?is)<input\b[^>]*>`)
	attr     = regexp.MustCompile(`(?is)\b(type|name|value)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))`)
)

// hiddenFields returns the hidden inputs of a page (a CSRF token, say), so
// the login POST carries what a browser would send.
func hiddenFields(page string) url.Values {
	v := url.Values{}
	for _, tag := range inputTag.FindAllString(page, -1) {
		var typ, name, value string
		for _, m := range attr.FindAllStringSubmatch(tag, -1) {
			val := m[3] + m[4] + m[5]
			switch strings.ToLower(m[1]) {
			case "type":
				typ = strings.ToLower(val)
			case "name":
				name = html.UnescapeString(val)
			case "value":
				value = html.UnescapeString(val)
			}
		}
		if typ == "hidden" && name != "" {
			v.Set(name, value)
		}
	}
	return v
}

// webLogin logs in on the server's login page the way a browser would: it
// loads the page at loginURL, then POSTs username and password to the same
// URL, and returns the address the server redirects to (the app's
// registration callback with the authorization code).
func webLogin(ctx context.Context, loginURL, username, password string) (string, error) {
	u, err := url.Parse(loginURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("the login URL %q is not an http(s) URL", loginURL)
	}
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{
		Jar:     jar,
		Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, loginURL, nil)
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("loading the login page: %w", err)
	}
	page, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("the login page answered %s", resp.Status)
	}
	form := hiddenFields(string(page))
	form.Set("username", username)
	form.Set("password", password)
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, loginURL, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("posting the login form: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect:
	case http.StatusOK:
		return "", errors.New("the login page refused the username or password")
	default:
		return "", fmt.Errorf("the login page answered %s", resp.Status)
	}
	loc, err := resp.Location()
	if err != nil {
		return "", errors.New("the login page redirected without a location")
	}
	return loc.String(), nil
}
