package rp

import "strings"

// describeAgent turns a User-Agent into "Chrome on Linux" ("" if unknown).
func describeAgent(ua string) string {
	browser := ""
	switch {
	case strings.Contains(ua, "Edg/"):
		browser = "Edge"
	case strings.Contains(ua, "OPR/"), strings.Contains(ua, "Opera"):
		browser = "Opera"
	case strings.Contains(ua, "Firefox/"):
		browser = "Firefox"
	case strings.Contains(ua, "Chrome/"), strings.Contains(ua, "CriOS/"), strings.Contains(ua, "Chromium/"):
		browser = "Chrome"
	case strings.Contains(ua, "Safari/"):
		browser = "Safari"
	}
	os := ""
	switch {
	case strings.Contains(ua, "Android"):
		os = "Android"
	case strings.Contains(ua, "iPhone"), strings.Contains(ua, "iPad"):
		os = "iOS"
	case strings.Contains(ua, "Windows"):
		os = "Windows"
	case strings.Contains(ua, "Mac OS X"), strings.Contains(ua, "Macintosh"):
		os = "macOS"
	case strings.Contains(ua, "CrOS"):
		os = "ChromeOS"
	case strings.Contains(ua, "Linux"):
		os = "Linux"
	}
	switch {
	case browser != "" && os != "":
		return browser + " on " + os
	case browser != "":
		return browser
	case os != "":
		return "a browser on " + os
	}
	return ""
}

// ShownMessage builds what the device displays: the type's template with the
// request's message, then where the request came from.
func ShownMessage(template, message, userAgent, ip string) string {
	base := message
	if template != "" && strings.Contains(template, "{message}") {
		base = strings.ReplaceAll(template, "{message}", message)
	}
	var ctx []string
	if a := describeAgent(userAgent); a != "" {
		ctx = append(ctx, a)
	}
	if ip != "" {
		ctx = append(ctx, "IP "+ip)
	}
	if len(ctx) == 0 {
		return base
	}
	return base + " from " + strings.Join(ctx, ", ")
}
