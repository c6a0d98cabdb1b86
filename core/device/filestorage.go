package device

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// FileStorage is a Storage kept in a directory, one file per key, each value
// encrypted at rest with AES-256-GCM under a key held in the directory's
// ".storage-key" file (mode 0600). It stands in for the Keystore-wrapped storage
// on desktops and in tools; it protects against casual reading of the files, not
// against an attacker who can read the key file.
type FileStorage struct {
	mu   sync.Mutex
	dir  string
	aead cipher.AEAD
}

// NewFileStorage opens (creating when needed) a FileStorage in dir.
func NewFileStorage(dir string) (*FileStorage, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	keyPath := filepath.Join(dir, ".storage-key")
	key, err := os.ReadFile(keyPath)
	if errors.Is(err, fs.ErrNotExist) {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		if err := writeFileAtomic(keyPath, key); err != nil {
			return nil, fmt.Errorf("storage: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	if len(key) != 32 {
		return nil, errors.New("storage: key file is corrupt")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &FileStorage{dir: dir, aead: aead}, nil
}

func (s *FileStorage) path(key string) string {
	h := sha256.Sum256([]byte(key))
	return filepath.Join(s.dir, hex.EncodeToString(h[:16])+".enc")
}

// Get implements Storage.
func (s *FileStorage) Get(key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	data, err := os.ReadFile(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	ns := s.aead.NonceSize()
	if len(data) < ns {
		return nil, errors.New("storage: value is corrupt")
	}
	plain, err := s.aead.Open(nil, data[:ns], data[ns:], []byte(key))
	if err != nil {
		return nil, errors.New("storage: value cannot be decrypted")
	}
	return plain, nil
}

// Set implements Storage.
func (s *FileStorage) Set(key string, value []byte) error {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return err
	}
	sealed := s.aead.Seal(nonce, nonce, value, []byte(key))
	s.mu.Lock()
	defer s.mu.Unlock()
	return writeFileAtomic(s.path(key), sealed)
}

// Delete implements Storage.
func (s *FileStorage) Delete(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := os.Remove(s.path(key))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("storage: %w", err)
	}
	return nil
}

func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
