package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/webpush"
)

// Push mobile authentication (DESIGN §12) on the terminal phone. `listen`
// plays the UnifiedPush distributor: it subscribes with a Web Push endpoint
// that is the phone's own loopback receiver, decrypts each push (RFC 8291)
// and hands its data to the SDK, which claims and shows the request.
// `pending` is the pull path: it asks the server for the open requests.

// pending answers the open push requests of the registered users.
func (p *phone) pending(_ []string) error {
	var list []api.PendingMobileAuthRequest
	if err := p.c.callSync(api.MethodGetPendingMobileAuthWithPushRequests, nil, &list); err != nil {
		return err
	}
	if len(list) == 0 {
		p.printf("No pending requests.\n")
		return nil
	}
	p.printf("%d pending request(s):\n", len(list))
	for i, r := range list {
		p.printf("\n  %d. %s  (%s, for %s, %ds left)\n", i+1, terminalText(r.Message), terminalText(r.Type), p.who(r.UserProfile.ID), r.TimeToLive/1000)
		p.printDetails(r.Details)
		if len(r.MatchCandidates) != 0 {
			p.printf("    Number matching: %s\n", strings.Join(r.MatchCandidates, "   "))
		}
		if r.UserVerification == "required" {
			p.printf("    Accepting asks you to verify (PIN or fingerprint).\n")
		}
	}
	for _, r := range list {
		if err := p.confirm(api.MethodHandlePendingMobileAuthWithPushRequest, map[string]any{"request": r}); err != nil {
			return err
		}
	}
	return nil
}

// pushKeys are the subscription keys the phone keeps in its data directory.
type pushKeys struct {
	Private string `json:"private"` // base64url P-256 scalar (a secret)
	Auth    string `json:"auth"`    // base64url 16 bytes (a secret)
}

// loadPushKeys reads the subscription keys, creating them on first use.
func (p *phone) loadPushKeys() (*webpush.Keys, error) {
	path := filepath.Join(p.o.data, "webpush.json")
	if b, err := os.ReadFile(path); err == nil {
		var k pushKeys
		if json.Unmarshal(b, &k) == nil {
			priv, e1 := base64.RawURLEncoding.DecodeString(k.Private)
			auth, e2 := base64.RawURLEncoding.DecodeString(k.Auth)
			if e1 == nil && e2 == nil {
				if keys, err := webpush.ParseKeys(priv, auth); err == nil {
					return keys, nil
				}
			}
		}
		return nil, errors.New("webpush.json in the data directory is damaged; remove it to make new keys")
	}
	keys, err := webpush.NewKeys(nil)
	if err != nil {
		return nil, err
	}
	b, _ := json.Marshal(pushKeys{Private: base64.RawURLEncoding.EncodeToString(keys.PrivateKey()), Auth: keys.Auth()})
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, err
	}
	return keys, nil
}

// maxPushBody bounds one received push (RFC 8030 push services carry 4 KiB).
const maxPushBody = 8 << 10

// listen subscribes and answers each push until --count pushes were handled
// or --timeout passes without one.
func (p *phone) listen(_ []string) error {
	keys, err := p.loadPushKeys()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", p.o.listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		p.printf("(the push receiver listens on %s, not only on loopback)\n", ln.Addr())
	}
	secretPath := "/push/" + protocol.RandomToken(16)
	got := make(chan []byte, 8)
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != secretPath {
			http.NotFound(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxPushBody+1))
		if err != nil || len(body) > maxPushBody {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			return
		}
		plain, err := keys.Decrypt(body)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		select {
		case got <- plain:
			w.WriteHeader(http.StatusCreated) // RFC 8030 §5
		default:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	endpoint := "http://" + ln.Addr().String() + secretPath
	params := map[string]any{"webPushSubscription": map[string]any{"endpoint": endpoint, "keys": map[string]any{"p256dh": keys.P256dh(), "auth": keys.Auth()}}}
	if p.o.profile != "" {
		params["profileId"] = p.o.profile
	}
	if err := p.c.callSync(api.MethodEnrollUserForMobileAuthWithPush, params, nil); err != nil {
		return fmt.Errorf("registering the push subscription: %w", err)
	}
	p.printf("Listening for pushes on %s (Web Push; the server must allow loopback endpoints).\n", ln.Addr())
	handled := 0
	for p.o.count == 0 || handled < p.o.count {
		select {
		case data := <-got:
			var can bool
			if err := p.c.callSync(api.MethodCanHandlePushMessage, map[string]any{"data": json.RawMessage(data)}, &can); err != nil {
				return err
			}
			if !can {
				p.printf("Ignored a push that is not a request for this phone.\n")
				continue
			}
			p.printf("Push received.\n")
			if err := p.confirm(api.MethodHandleMobileAuthWithPushRequest, map[string]any{"data": json.RawMessage(data)}); err != nil {
				p.printf("phone: %v\n", err)
			}
			handled++
		case <-time.After(p.o.timeout):
			p.printf("No push for %s; stopped listening.\n", p.o.timeout)
			return nil
		}
	}
	return nil
}
