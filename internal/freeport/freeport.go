// Package freeport picks a free TCP port on 127.0.0.1 for a server that
// another process will start.
//
// Listening on port 0 and closing the listener hands out a port from the
// kernel's ephemeral range, and the kernel may give that same port to any
// other bind(0) or outgoing connection before the intended server binds it:
// two test servers then end up behind one address. Loopback picks its ports
// below the ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range),
// where the kernel never allocates on its own, and checks that each is free.
package freeport

import (
	"errors"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
)

// floor is the lowest port Loopback picks (above the registered services
// that commonly listen on a development machine).
const floor = 10000

// ephemeralLow is the start of the kernel's ephemeral port range (the
// Linux default when it cannot be read).
func ephemeralLow() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil && n > floor+1000 {
				return n
			}
		}
	}
	return 32768
}

// Loopback returns "127.0.0.1:PORT" for a port that was free a moment ago
// and lies outside the kernel's ephemeral range.
func Loopback() (string, error) {
	hi := ephemeralLow()
	return pick(func() int { return floor + rand.IntN(hi-floor) })
}

// pick tries the ports next proposes until one is free (at most 200).
func pick(next func() int) (string, error) {
	for i := 0; i < 200; i++ {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(next()))
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			continue // taken: try another
		}
		if err := ln.Close(); err != nil {
			return "", err
		}
		return addr, nil
	}
	return "", errors.New("freeport: no free loopback port found below the ephemeral range")
}
