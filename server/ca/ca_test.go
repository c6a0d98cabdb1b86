package ca

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server/store"
)

// Instances starting at once on one store agree on one CA.
func TestCAConcurrentCreation(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "oma.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cas := make([]*Authority, 6)
	var wg sync.WaitGroup
	for i := range cas {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ca, _, err := LoadOrCreate(ctx, st, nil)
			if err != nil {
				t.Error(err)
				return
			}
			cas[i] = ca
		}(i)
	}
	wg.Wait()
	for _, ca := range cas[1:] {
		if ca == nil || string(ca.Cert().Raw) != string(cas[0].Cert().Raw) {
			t.Fatal("instances disagree on the CA")
		}
	}
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, err := cas[3].Issue(&k.PublicKey, "enr", "alice", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	if err := cert.CheckSignatureFrom(cas[0].Cert()); err != nil {
		t.Fatalf("certificate of one instance does not verify with another's CA: %v", err)
	}
}
