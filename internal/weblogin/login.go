package weblogin

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// ErrRefused is returned when the login page is shown again (200): wrong
// user name or password, or a form the server did not accept.
var ErrRefused = errors.New("the login page refused the user name or password")

// StatusError is an unexpected HTTP status of the page or the form post.
type StatusError struct {
	Op     string
	Status int
}

// Error implements error.
func (e *StatusError) Error() string { return fmt.Sprintf("%s: HTTP %d", e.Op, e.Status) }

var (
	inputTag = regexp.MustCompile(`(?is)<input\b[^>]*>`)
	attr     = regexp.MustCompile(`(?is)\b(type|name|value)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))`)
)

// HiddenFields returns the hidden inputs of an HTML page.
func HiddenFields(page string) url.Values {
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

// Page is a loaded login page: its HTML, its hidden fields and the cookies
// it set (sent back with the form post).
type Page struct {
	URL     string
	HTML    string
	Hidden  url.Values
	Cookies []*http.Cookie
}

// Load GETs the login page at loginURL with hc (hc's own redirect policy
// and cookie jar are not used: the cookies are kept in the Page, so one
// client can serve many concurrent logins).
func Load(ctx context.Context, hc *http.Client, loginURL string) (*Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loginURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := noRedirects(hc).Do(req)
	if err != nil {
		return nil, fmt.Errorf("loading the login page: %w", err)
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{Op: "login page", Status: resp.StatusCode}
	}
	return &Page{URL: loginURL, HTML: string(b), Hidden: HiddenFields(string(b)), Cookies: resp.Cookies()}, nil
}

// Submit POSTs the page's form with username and password and returns the
// redirect's Location (ErrRefused when the page is shown again).
func (p *Page) Submit(ctx context.Context, hc *http.Client, username, password string) (*url.URL, error) {
	form := url.Values{}
	for k, v := range p.Hidden {
		form[k] = v
	}
	form.Set("username", username)
	form.Set("password", password)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range p.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := noRedirects(hc).Do(req)
	if err != nil {
		return nil, fmt.Errorf("posting the login form: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect:
	case http.StatusOK:
		return nil, ErrRefused
	default:
		return nil, &StatusError{Op: "login form", Status: resp.StatusCode}
	}
	loc, err := resp.Location()
	if err != nil {
		return nil, errors.New("the login page redirected without a Location")
	}
	return loc, nil
}

// Login is Load then Submit.
func Login(ctx context.Context, hc *http.Client, loginURL, username, password string) (*url.URL, error) {
	p, err := Load(ctx, hc, loginURL)
	if err != nil {
		return nil, err
	}
	return p.Submit(ctx, hc, username, password)
}

func noRedirects(hc *http.Client) *http.Client {
	c := *hc
	c.Jar = nil
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}
