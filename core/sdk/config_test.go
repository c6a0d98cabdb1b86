package sdk_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/sdk"
)

func TestParseConfig(t *testing.T) {
	cfg, err := sdk.ParseConfig(`{"platform":"android","dataDir":"/d","logLevel":"debug","maxRequestSize":2048,"flowTimeoutMs":1500,
		"app":{"serverUrl":"https://auth.example.com/base/","appId":"bank","appVersion":"2.1","redirectUri":"bank://cb","pinnedCertSha256":"47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU","allowInsecureHttp":false}}`)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Platform != "android" || cfg.DataDir != "/d" || cfg.LogLevel != "debug" || cfg.MaxRequestSize != 2048 ||
		cfg.FlowTimeout() != 1500*time.Millisecond || cfg.App.ServerURL != "https://auth.example.com/base/" ||
		cfg.App.AppID != "bank" || cfg.App.RedirectURI != "bank://cb" || cfg.App.PinnedCertSHA256 == "" {
		t.Fatalf("parsed %+v", cfg)
	}
	if cfg, err := sdk.ParseConfig(`{"softBiometric":"fail,success"}`); err != nil || !slices.Equal(cfg.SoftBiometricScript(), []string{"fail", "success"}) {
		t.Fatalf("softBiometric: %+v %v", cfg, err)
	}
	for _, empty := range []string{"", "  ", "{}"} {
		cfg, err := sdk.ParseConfig(empty)
		if err != nil || cfg != (sdk.Config{}) || cfg.FlowTimeout() != 0 {
			t.Fatalf("%q: %+v %v", empty, cfg, err)
		}
	}
	for _, c := range []struct{ text, mention string }{
		{`{"dataDir":`, "not valid JSON"},
		{`["a"]`, "JSON object"},
		{`"x"`, "JSON object"},
		{`{} {}`, "one JSON object"},
		{`{"dataDirectory":"/x"}`, `unknown field "dataDirectory"`},
		{`{"app":{"server":"https://a.example"}}`, `unknown field "server"`},
		{`{"platform":7}`, `"platform" must be a string`},
		{`{"maxRequestSize":"big"}`, `"maxRequestSize" must be an integer`},
		{`{"maxRequestSize":2.5}`, `"maxRequestSize" must be an integer`},
		{`{"app":"https://a.example"}`, `"app" must be an object`},
		{`{"app":{"allowInsecureHttp":"yes"}}`, `"app.allowInsecureHttp" must be a boolean`},
		{`{"platform":"Android"}`, "platform must be"},
		{`{"platform":"android\n"}`, "platform must be"},
		{`{"logLevel":"verbose"}`, "logLevel must be"},
		{`{"maxRequestSize":-1}`, "maxRequestSize"},
		{`{"flowTimeoutMs":-5}`, "flowTimeoutMs"},
		{`{"flowTimeoutMs":86400001}`, "flowTimeoutMs"},
		{`{"softBiometric":"fail,maybe"}`, "softBiometric"},
		{`{"softBiometric":"fail,"}`, "softBiometric"},
		{`{"app":{"serverUrl":"ftp://a.example"}}`, "app configuration: serverUrl"},
		{`{"app":{"serverUrl":"http://auth.example.com"}}`, "app configuration: serverUrl must use https"},
		{`{"app":{"serverUrl":"https://a.example","pinnedCertSha256":"abc"}}`, "app configuration: pinnedCertSha256"},
		{`{"app":{"serverUrl":"https://a.example","redirectUri":"no-scheme"}}`, "app configuration: redirectUri"},
	} {
		_, err := sdk.ParseConfig(c.text)
		if dispatch.CodeOf(err) != dispatch.CodeConfiguration || !strings.Contains(err.Error(), c.mention) {
			t.Errorf("%s: want 8001 mentioning %q, got %v", c.text, c.mention, err)
		}
	}
}
