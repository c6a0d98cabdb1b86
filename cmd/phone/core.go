package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/openmobileauth/oma/bridge"
	"github.com/openmobileauth/oma/core/dispatch"
)

// sdkError is an error answered by the SDK core: its code, name and message.
type sdkError struct {
	Code    int            `json:"code"`
	Message string         `json:"message"`
	Data    map[string]any `json:"data"`
}

func (e *sdkError) Error() string {
	name := dispatch.Code(e.Code).Info().Name
	s := fmt.Sprintf("error %d %s: %s", e.Code, name, e.Message)
	if n, ok := e.Data["remainingFailureCount"]; ok {
		s += fmt.Sprintf(" (remaining attempts: %v)", n)
	}
	return s
}

// codeOf returns the SDK code of err, or 0.
func codeOf(err error) int {
	var e *sdkError
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

// envelope is a response or an event from the core.
type envelope struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Result json.RawMessage `json:"result"`
	Error  *sdkError       `json:"error"`
	Params json.RawMessage `json:"params"`
}

// event is an SDK event: its type and the whole params object.
type event struct {
	Type string
	Raw  json.RawMessage
}

// core is the terminal phone's handle on the real SDK core behind the real
// bridge (in this process). It implements bridge.Callback (events); each
// asynchronous call gets its own bridge.Reply.
type core struct {
	mu     sync.Mutex
	nextID int64
	events chan event
}

// reply is the bridge.Reply of one asynchronous call: it hands the answer to
// the call's channel.
type reply chan envelope

// OnResult implements bridge.Reply.
func (r reply) OnResult(result string) { r <- envelope{Result: json.RawMessage(result)} }

// OnError implements bridge.Reply.
func (r reply) OnError(code int, message, errorJSON string) {
	e := &sdkError{Code: code, Message: message}
	_ = json.Unmarshal([]byte(errorJSON), e)
	r <- envelope{Error: e}
}

// startCore starts the bridge with the pure-Go capabilities under dataDir.
// softBiometric scripts the pure-Go biometric's prompts ("" plays success).
func startCore(dataDir, logLevel, softBiometric string) (*core, error) {
	c := &core{events: make(chan event, 64)}
	cfg, _ := json.Marshal(map[string]string{"dataDir": dataDir, "logLevel": logLevel, "softBiometric": softBiometric})
	if err := bridge.Start(string(cfg), c, nil, nil, nil); err != nil {
		var e sdkError
		if json.Unmarshal([]byte(err.Error()), &e) == nil && e.Code != 0 {
			return nil, &e
		}
		return nil, err
	}
	return c, nil
}

// close stops the core (pending calls are answered first).
func (c *core) close() { bridge.Close() }

// OnEvent implements bridge.Callback: events go to the event channel.
func (c *core) OnEvent(params string) {
	var head struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal([]byte(params), &head)
	c.events <- event{Type: head.Type, Raw: json.RawMessage(params)}
}

// request builds a request envelope with a fresh numeric id.
func (c *core) request(method string, params any) (id, req string) {
	c.mu.Lock()
	c.nextID++
	n := c.nextID
	c.mu.Unlock()
	if params == nil {
		params = map[string]any{}
	}
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": n, "method": method, "params": params})
	return strconv.FormatInt(n, 10), string(b)
}

// callSync calls method through bridge.CallSync and decodes its result into out.
func (c *core) callSync(method string, params any, out any) error {
	_, req := c.request(method, params)
	var env envelope
	if err := json.Unmarshal([]byte(bridge.CallSync(req)), &env); err != nil {
		return fmt.Errorf("unreadable answer from the core: %w", err)
	}
	return decode(env, out)
}

func decode(env envelope, out any) error {
	if env.Error != nil {
		return env.Error
	}
	if out != nil && len(env.Result) > 0 {
		if err := json.Unmarshal(env.Result, out); err != nil {
			return fmt.Errorf("unexpected result from the core: %w", err)
		}
	}
	return nil
}

// callAsync calls method through bridge.Invoke; the answer arrives on the channel.
func (c *core) callAsync(method string, params any) <-chan envelope {
	_, req := c.request(method, params)
	ch := make(reply, 1)
	bridge.Invoke(req, ch)
	return ch
}

// flow runs a long call (one that waits on the user through events): it
// calls method asynchronously and hands every event to onEvent until the call
// settles or timeout passes. onEvent may call the core (submitPin, accept,
// cancel...). When onEvent returns an error (after cancelling the flow), the
// flow still waits for the call to settle and then returns that first error,
// which explains the failure better than the cancellation it caused.
func (c *core) flow(method string, params any, timeout time.Duration, out any, onEvent func(event) error) error {
	ch := c.callAsync(method, params)
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	var failure error
	handle := func(ev event) {
		if err := onEvent(ev); err != nil && failure == nil {
			failure = err
		}
	}
	for {
		select {
		case env := <-ch:
			// Let events emitted just before the answer be seen first.
			for drained := false; !drained; {
				select {
				case ev := <-c.events:
					handle(ev)
				default:
					drained = true
				}
			}
			if failure != nil {
				return failure
			}
			return decode(env, out)
		case ev := <-c.events:
			handle(ev)
		case <-deadline.C:
			if failure != nil {
				return failure
			}
			return fmt.Errorf("%s did not finish within %s", method, timeout)
		}
	}
}

// deliver calls a method that hands an input to a waiting flow (submitPin,
// handleRegistrationCallback, accept/deny). The flow announces that it waits
// with an event just before it starts waiting, so an answer that is very quick
// can find it not waiting yet (8013/8014): deliver retries those for a moment.
func (c *core) deliver(method string, params any) error {
	deadline := time.Now().Add(3 * time.Second)
	for {
		err := c.callSync(method, params, nil)
		code := codeOf(err)
		if (code != int(dispatch.CodeNoFlowInProgress) && code != int(dispatch.CodeNoMobileAuthInProgress)) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}
