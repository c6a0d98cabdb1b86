package eventprobe

import (
	"errors"
	"strconv"
	"sync"

	"github.com/openmobileauth/oma/bridge"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/tidwall/gjson"
)

// Sink receives events as the bridge's Callback does (the event's params JSON
// text); a native Callback is adapted to it in the tests.
type Sink interface {
	OnEvent(eventJSON string)
}

// Emit encodes an event {"type": eventType, ...payload} with the core's own
// dispatcher and delivers its params to sink, as the bridge does, from count
// new goroutines, waiting until all were delivered. payloadJSON must be a JSON object (or empty). It returns
// an error when the payload is not a JSON object.
func Emit(sink Sink, eventType string, payloadJSON string, count int) error {
	if payloadJSON == "" {
		payloadJSON = "{}"
	}
	if !gjson.Valid(payloadJSON) || !gjson.Parse(payloadJSON).IsObject() {
		return errors.New("eventprobe: payload must be a JSON object")
	}
	d := dispatch.New(dispatch.Options{Sink: func(m string) { sink.OnEvent(gjson.Get(m, "params").Raw) }})
	defer d.Close()
	var wg sync.WaitGroup
	for i := 0; i < count; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.Emit(eventType, dispatch.RawJSON(payloadJSON))
		}()
	}
	wg.Wait()
	return nil
}

// EmitThenAnswer does on one new goroutine what the core does for a call that
// emits events before returning: it delivers count events of eventType (params
// {"type", "seq"}) to sink, each after the previous one returned, then answers
// reply with the result {"events": count}. It returns when reply was answered.
// The native tests use it to check that a module hands events and the answer
// to JavaScript in that order.
func EmitThenAnswer(sink Sink, reply bridge.Reply, eventType string, count int) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < count; i++ {
			sink.OnEvent(`{"type":` + strconv.Quote(eventType) + `,"seq":` + strconv.Itoa(i) + `}`)
		}
		reply.OnResult(`{"events":` + strconv.Itoa(count) + `}`)
	}()
	<-done
}
