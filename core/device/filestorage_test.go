package device

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestFileStorageEncryptsAtRest(t *testing.T) {
	dir := t.TempDir()
	s, err := NewFileStorage(dir)
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("refresh-token-PLAINTEXT-3f9a1c")
	key := "user/profile-1/refreshToken"
	if err := s.Set(key, secret); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	for _, e := range entries {
		if strings.Contains(e.Name(), "profile-1") || strings.Contains(e.Name(), "refreshToken") {
			t.Fatalf("key name visible in file name %q", e.Name())
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, secret) || bytes.Contains(data, []byte("PLAINTEXT")) {
			t.Fatalf("plaintext found in %s", e.Name())
		}
		info, _ := e.Info()
		if info.Mode().Perm()&0o077 != 0 {
			t.Fatalf("%s readable by others: %v", e.Name(), info.Mode())
		}
		files++
	}
	if files != 2 { // the key file and one value
		t.Fatalf("want 2 files, found %d", files)
	}
	got, err := s.Get(key)
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Get = %q, %v", got, err)
	}
	// Two writes of the same value differ on disk (fresh nonce).
	p := s.path(key)
	first, _ := os.ReadFile(p)
	if err := s.Set(key, secret); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(p)
	if bytes.Equal(first, second) {
		t.Fatal("same ciphertext for two writes")
	}
}

func TestFileStoragePersistsAcrossReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := NewFileStorage(dir)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string][]byte{"a": []byte("1"), "b": {}, "c": bytes.Repeat([]byte{0, 0xff}, 5000), "": []byte("empty key")}
	for k, v := range values {
		if err := s.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Delete("a"); err != nil {
		t.Fatal(err)
	}
	s2, err := NewFileStorage(dir)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range values {
		got, err := s2.Get(k)
		if err != nil {
			t.Fatal(err)
		}
		if k == "a" {
			if got != nil {
				t.Fatalf("deleted key a came back: %q", got)
			}
			continue
		}
		if !bytes.Equal(got, v) {
			t.Fatalf("key %q: got %d bytes, want %d", k, len(got), len(v))
		}
	}
	if got, err := s2.Get("never-set"); got != nil || err != nil {
		t.Fatalf("absent key: %q, %v", got, err)
	}
	if err := s2.Delete("never-set"); err != nil {
		t.Fatalf("deleting an absent key: %v", err)
	}
}

func TestFileStorageDetectsTampering(t *testing.T) {
	dir := t.TempDir()
	s, _ := NewFileStorage(dir)
	if err := s.Set("k", []byte("value")); err != nil {
		t.Fatal(err)
	}
	p := s.path("k")
	data, _ := os.ReadFile(p)
	data[len(data)-1] ^= 1
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("k"); err == nil {
		t.Fatal("tampered value decrypted")
	}
	// A value moved to another key's file does not decrypt either (key is bound as AAD).
	if err := s.Set("x", []byte("for x")); err != nil {
		t.Fatal(err)
	}
	xd, _ := os.ReadFile(s.path("x"))
	if err := os.WriteFile(s.path("y"), xd, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("y"); err == nil {
		t.Fatal("a value swapped between keys decrypted")
	}
	if err := os.WriteFile(s.path("short"), []byte{1, 2}, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("short"); err == nil {
		t.Fatal("truncated value accepted")
	}
	// Another directory's key cannot read this directory's values.
	other := t.TempDir()
	o, _ := NewFileStorage(other)
	od, _ := os.ReadFile(s.path("x"))
	_ = os.WriteFile(o.path("x"), od, 0o600)
	if _, err := o.Get("x"); err == nil {
		t.Fatal("value decrypted under another storage key")
	}
}

func TestFileStorageCorruptKeyFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".storage-key"), []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := NewFileStorage(dir); err == nil {
		t.Fatal("corrupt key file accepted")
	}
	if _, err := NewFileStorage("/proc/version/sub"); err == nil {
		t.Fatal("unusable directory accepted")
	}
}

func TestStoragesConcurrent(t *testing.T) {
	fs, err := NewFileStorage(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]Storage{"file": fs, "mem": NewMemStorage()} {
		t.Run(name, func(t *testing.T) {
			var wg sync.WaitGroup
			for g := 0; g < 8; g++ {
				wg.Add(1)
				go func(g int) {
					defer wg.Done()
					key := string(rune('a' + g))
					for i := 0; i < 20; i++ {
						v := []byte{byte(g), byte(i)}
						if err := s.Set(key, v); err != nil {
							t.Error(err)
							return
						}
						got, err := s.Get(key)
						if err != nil || !bytes.Equal(got, v) {
							t.Errorf("%s: got %v, %v", key, got, err)
							return
						}
					}
				}(g)
			}
			wg.Wait()
		})
	}
}

func TestMemStorageCopies(t *testing.T) {
	s := NewMemStorage()
	v := []byte("abc")
	_ = s.Set("k", v)
	v[0] = 'X'
	got, _ := s.Get("k")
	if string(got) != "abc" {
		t.Fatalf("stored value aliased the caller's slice: %q", got)
	}
	got[0] = 'Y'
	again, _ := s.Get("k")
	if string(again) != "abc" {
		t.Fatalf("returned value aliased the stored one: %q", again)
	}
	_ = s.Delete("k")
	if got, err := s.Get("k"); got != nil || err != nil {
		t.Fatalf("after delete: %q, %v", got, err)
	}
}
