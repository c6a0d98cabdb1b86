// Package weblogin does what a browser does with the Token Server's login
// page, for the test helpers, the load generator and the terminal phone: GET
// the page, keep its cookies and hidden form fields (the CSRF token), POST
// the user name and password, and return the redirect's Location.
package weblogin
