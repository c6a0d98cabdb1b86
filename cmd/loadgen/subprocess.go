package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"syscall"
	"time"

	"github.com/openmobileauth/oma/internal/freeport"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/loadgen"
	"github.com/openmobileauth/oma/server/store"
)

// startSubprocess provisions the store (demo data, one user per device, the
// callback URI) from this process, then runs the tokenserver binary on it as
// a subprocess with rate limits off and waits until it is healthy.
func startSubprocess(ctx context.Context, o *options, storeURL string, rcv *loadgen.Receiver, stderr io.Writer) (*target, error) {
	st, err := store.Open(ctx, storeURL)
	if err != nil {
		return nil, err
	}
	t, err := provision(ctx, &server.Admin{Store: st, Argon2: server.DefaultArgon2}, o.devices, rcv)
	_ = st.Close()
	if err != nil {
		return nil, err
	}
	// A port outside the kernel's ephemeral range: one from listening on
	// port 0 could be handed to another process before the server binds it.
	addr, err := freeport.Loopback()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(o.subprocess, "serve", "--listen", addr, "--base-url", "http://"+addr, "--store", storeURL,
		"--log-level", "warn", "--demo", "--no-rate-limits", "--allow-private-egress", "--policy", server.PolicyMultiple)
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}
	t.url = "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-done:
			return nil, fmt.Errorf("tokenserver exited during start-up: %v", err)
		default:
		}
		if resp, err := http.Get(t.url + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("tokenserver not healthy after 30s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.close, t.pid = stop, cmd.Process.Pid
	fmt.Fprintf(stderr, "loadgen: tokenserver subprocess (pid %d) on %s, store %s\n", cmd.Process.Pid, t.url, redactURL(storeURL))
	return t, nil
}
