package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/openmobileauth/oma/server"
)

// devMasterKeyName is the development master key created next to a SQLite
// database when serve is given none.
const devMasterKeyName = "master.key"

// masterKey finds serve's master key: --master-key-file (or
// OMA_MASTER_KEY_FILE), else OMA_MASTER_KEY (the key itself), else for a
// SQLite file store a development key next to the database (created 0600 on
// first start; serve says so). Other stores without a key get nil: the CA key
// then stays unencrypted and the server warns.
func masterKey(file, storeURL string, stdout io.Writer) ([]byte, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--master-key-file: %w", err)
		}
		k, err := server.ParseMasterKey(string(b))
		if err != nil {
			return nil, fmt.Errorf("--master-key-file %s: %w", file, err)
		}
		return k, nil
	}
	if v, ok := os.LookupEnv("OMA_MASTER_KEY"); ok && v != "" {
		k, err := server.ParseMasterKey(v)
		if err != nil {
			return nil, fmt.Errorf("OMA_MASTER_KEY: %w", err)
		}
		return k, nil
	}
	p := sqlitePath(storeURL)
	if p == "" {
		return nil, nil
	}
	f := filepath.Join(filepath.Dir(p), devMasterKeyName)
	b, err := os.ReadFile(f)
	if errors.Is(err, os.ErrNotExist) {
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return nil, err
		}
		if err := os.WriteFile(f, []byte(base64.StdEncoding.EncodeToString(raw)+"\n"), 0o600); err != nil {
			return nil, err
		}
		fmt.Fprintf(stdout, "development master key generated in %s (it encrypts the CA key; in production give --master-key-file or OMA_MASTER_KEY and keep the key away from the database)\n", f)
		return raw, nil
	} else if err != nil {
		return nil, err
	}
	k, err := server.ParseMasterKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f, err)
	}
	fmt.Fprintf(stdout, "using the development master key in %s (in production give --master-key-file or OMA_MASTER_KEY)\n", f)
	return k, nil
}
