package device

import (
	"sync"
)

// MemStorage is an in-memory Storage for tests.
type MemStorage struct {
	mu sync.Mutex
	m  map[string][]byte
}

// NewMemStorage returns an empty in-memory Storage.
func NewMemStorage() *MemStorage { return &MemStorage{m: map[string][]byte{}} }

// Get implements Storage.
func (s *MemStorage) Get(key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	if !ok {
		return nil, nil
	}
	return append([]byte(nil), v...), nil
}

// Set implements Storage.
func (s *MemStorage) Set(key string, value []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = append([]byte(nil), value...)
	return nil
}

// Delete implements Storage.
func (s *MemStorage) Delete(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}
