package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"sync"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/servertest"
)

var (
	fuzzOnce   sync.Once
	fuzzServer *servertest.TestServer
	fuzzDevice *servertest.Device
)

// FuzzDeviceRequests sends arbitrary bodies, with valid proofs, to every
// device endpoint of a real server: never a 5xx, always a JSON answer.
func FuzzDeviceRequests(f *testing.F) {
	paths := []string{protocol.PathToken, protocol.PathDeregister, protocol.PathEnroll, protocol.PathClaim, protocol.PathAnswer, protocol.PathClients}
	for _, b := range badBodies {
		if len(b) < 4096 {
			f.Add(uint8(0), []byte(b))
			f.Add(uint8(3), []byte(b))
		}
	}
	f.Add(uint8(1), []byte(`{"profile_id":"x"}`))
	f.Add(uint8(2), []byte(`{"csr":"AAAA"}`))
	f.Add(uint8(4), []byte(`{"transaction_id":"t","profile_id":"p","decision":"accept","message_hash":"h","nonce":"n","time":1,"signature":"AAAA"}`))
	f.Add(uint8(5), []byte(`{"app_id":"a","client_key":"AAAA","redirect_uri":"x:y"}`))
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		fuzzOnce.Do(func() {
			// One server for every input; it outlives the test that started it,
			// so it is stopped by the process exit.
			fuzzServer = servertest.Start(&keepAlive{T: t}, servertest.Options{})
			fuzzDevice = fuzzServer.Enrolled(fuzzServer.DemoUser, fuzzServer.DemoPassword, "13579")
		})
		d := fuzzDevice
		path := paths[int(which)%len(paths)]
		token := ""
		if path == protocol.PathEnroll {
			token = d.Access
		}
		saved := d.ClientID
		if path == protocol.PathClients {
			d.ClientID = ""
		}
		proof := d.Proof(http.MethodPost, path, token, nil)
		d.ClientID = saved
		req, _ := http.NewRequest(http.MethodPost, fuzzServer.URL+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(protocol.HeaderDPoP, proof)
		if token != "" {
			req.Header.Set("Authorization", "DPoP "+token)
		}
		resp, err := d.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("%s: HTTP %d %s", path, resp.StatusCode, b)
		}
		if !json.Valid(b) {
			t.Fatalf("%s: non-JSON answer %q", path, b)
		}
	})
}

// keepAlive is a testing.TB whose cleanups never run (the fuzz server is
// shared by all inputs).
type keepAlive struct{ *testing.T }

func (k *keepAlive) Cleanup(func()) {}
func (k *keepAlive) TempDir() string {
	d, err := mkTemp()
	if err != nil {
		k.T.Fatal(err)
	}
	fuzzDir = d
	return d
}

var fuzzDir string

// TestMain stops the shared fuzz server and removes its store.
func TestMain(m *testing.M) {
	code := m.Run()
	if fuzzServer != nil {
		fuzzServer.Close()
	}
	if fuzzDir != "" {
		_ = os.RemoveAll(fuzzDir)
	}
	os.Exit(code)
}
