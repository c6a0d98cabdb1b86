package eventprobe

import (
	"errors"
	"sync"

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
