package ca

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/store"
)

// Settings keys of the enrollment CA (kept in the store, so every server
// instance on one store issues under the same CA and restarts keep it).
const (
	settingCAKey  = "ca_key"
	settingCACert = "ca_cert"
)

// Authority is the enrollment CA: it issues enrollment certificates.
type Authority struct {
	key  *ecdsa.PrivateKey
	cert *x509.Certificate
}

// Cert is the CA certificate.
func (c *Authority) Cert() *x509.Certificate { return c.cert }

// errCAExists tells LoadOrCreate that another instance stored a CA first.
var errCAExists = errors.New("ca: CA created concurrently")

// KeyState says how the CA's private key was found at start.
type KeyState int

// The states LoadOrCreate reports.
const (
	KeyPlain     KeyState = iota // stored unencrypted (no master key given)
	KeySealed                    // stored encrypted under the master key
	KeyNowSealed                 // was stored unencrypted; encrypted now
)

// LoadOrCreate reads the CA from the store or creates and stores a new one.
// Several instances starting at once on one store end up with the same CA:
// the key is inserted only if absent, and a loser reads the winner's.
//
// With a master key (kek, 32 bytes) the private key is stored encrypted with
// AES-256-GCM (issue 11, item 11); a CA key found unencrypted is encrypted in
// place. Without one an encrypted key is refused with ErrMasterKeyNeeded, and
// a new or unencrypted key stays unencrypted (KeyPlain: the caller warns).
func LoadOrCreate(ctx context.Context, s store.Store, kek []byte) (*Authority, KeyState, error) {
	if kek != nil && len(kek) != MasterKeySize {
		return nil, 0, ErrMasterKeyFormat
	}
	for attempt := 0; attempt < 3; attempt++ {
		var k, c string
		err := s.View(ctx, func(tx store.Tx) error {
			var err error
			if k, err = tx.GetSetting(ctx, settingCAKey); err != nil {
				return err
			}
			c, err = tx.GetSetting(ctx, settingCACert)
			return err
		})
		if err == nil {
			return loadCA(ctx, s, kek, k, c)
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, 0, err
		}
		plainKey, c, err := newCA()
		if err != nil {
			return nil, 0, err
		}
		stored, state := plainKey, KeyPlain
		if kek != nil {
			der, _ := protocol.B64.DecodeString(plainKey)
			if stored, err = seal(kek, der, caKeyAAD); err != nil {
				return nil, 0, err
			}
			state = KeySealed
		}
		err = s.InTx(ctx, func(tx store.Tx) error {
			ok, err := tx.InsertSetting(ctx, settingCAKey, stored)
			if err != nil {
				return err
			}
			if !ok {
				return errCAExists
			}
			return tx.PutSetting(ctx, settingCACert, c)
		})
		if err == nil {
			ca, err := parseCA(plainKey, c)
			return ca, state, err
		}
		if !errors.Is(err, errCAExists) {
			return nil, 0, err
		}
	}
	return nil, 0, errors.New("ca: could not load or create the enrollment CA")
}

// loadCA opens a stored CA key (sealed or not) and seals an unsealed one
// when a master key is given.
func loadCA(ctx context.Context, s store.Store, kek []byte, k, c string) (*Authority, KeyState, error) {
	if isSealed(k) {
		if kek == nil {
			return nil, 0, ErrMasterKeyNeeded
		}
		der, err := open(kek, k, caKeyAAD)
		if err != nil {
			return nil, 0, err
		}
		ca, err := parseCA(protocol.B64.EncodeToString(der), c)
		return ca, KeySealed, err
	}
	ca, err := parseCA(k, c)
	if err != nil || kek == nil {
		return ca, KeyPlain, err
	}
	der, _ := protocol.B64.DecodeString(k)
	sealed, err := seal(kek, der, caKeyAAD)
	if err != nil {
		return nil, 0, err
	}
	// Only the unencrypted value is replaced (another instance may have
	// sealed it meanwhile: then its value stays, under the same master key).
	err = s.InTx(ctx, func(tx store.Tx) error {
		cur, err := tx.GetSetting(ctx, settingCAKey)
		if err != nil || cur != k {
			return err
		}
		return tx.PutSetting(ctx, settingCAKey, sealed)
	})
	if err != nil {
		return nil, 0, err
	}
	return ca, KeyNowSealed, nil
}

// newCA makes a CA key and self-signed certificate (wire forms).
func newCA() (key, cert string, err error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	now := time.Now()
	tpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: "OMA Token Server enrollment CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(20, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &k.PublicKey, k)
	if err != nil {
		return "", "", err
	}
	kder, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return "", "", err
	}
	return protocol.B64.EncodeToString(kder), protocol.B64.EncodeToString(der), nil
}

func parseCA(k, c string) (*Authority, error) {
	kder, err1 := protocol.B64.DecodeString(k)
	cder, err2 := protocol.B64.DecodeString(c)
	if err1 != nil || err2 != nil {
		return nil, errors.New("ca: stored CA is not base64url")
	}
	key, err := x509.ParsePKCS8PrivateKey(kder)
	if err != nil {
		return nil, fmt.Errorf("ca: stored CA key: %w", err)
	}
	ek, ok := key.(*ecdsa.PrivateKey)
	if !ok {
		return nil, errors.New("ca: stored CA key is not ECDSA")
	}
	cert, err := x509.ParseCertificate(cder)
	if err != nil {
		return nil, fmt.Errorf("ca: stored CA cert: %w", err)
	}
	return &Authority{key: ek, cert: cert}, nil
}

func randomSerial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n.Add(n, big.NewInt(1))
}

// Issue signs a client-authentication certificate for pub, naming the
// enrollment and the user.
func (c *Authority) Issue(pub *ecdsa.PublicKey, enrollmentID, userID string, now time.Time) ([]byte, error) {
	tpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: enrollmentID, OrganizationalUnit: []string{"user:" + userID}},
		NotBefore:    now.Add(-5 * time.Minute),
		NotAfter:     now.AddDate(2, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	return x509.CreateCertificate(rand.Reader, tpl, c.cert, pub, c.key)
}
