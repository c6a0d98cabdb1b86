package audit

import (
	"time"

	"github.com/rs/zerolog"
)

// Event is one audit record as the optional webhook receives it (issue 16):
// the event name, the log level, the message and the same fields the log
// record carries (never a password, PIN, OTP or token).
type Event struct {
	Event   string         `json:"event"`
	Level   string         `json:"level"`
	Time    time.Time      `json:"time"`
	Message string         `json:"message"`
	Fields  map[string]any `json:"fields"`
}

// Sink receives every audit record once it is logged (nil: the log only).
type Sink func(Event)

// Record is an audit record being built: each field goes to the log record
// and to the Event handed to the sink when Msg ends it.
type Record struct {
	log  *zerolog.Event
	ev   Event
	sink Sink
}

// Start begins a record of event on the log event l (Warn or Info); sink
// may be nil.
func Start(l *zerolog.Event, level, event string, sink Sink) *Record {
	r := &Record{log: l, sink: sink}
	if sink != nil {
		r.ev = Event{Event: event, Level: level, Fields: map[string]any{}}
	}
	return r
}

// Str adds a string field.
func (r *Record) Str(k, v string) *Record {
	r.log = r.log.Str(k, v)
	if r.sink != nil {
		r.ev.Fields[k] = v
	}
	return r
}

// Int adds an integer field.
func (r *Record) Int(k string, v int) *Record {
	r.log = r.log.Int(k, v)
	if r.sink != nil {
		r.ev.Fields[k] = v
	}
	return r
}

// Int64 adds an integer field.
func (r *Record) Int64(k string, v int64) *Record {
	r.log = r.log.Int64(k, v)
	if r.sink != nil {
		r.ev.Fields[k] = v
	}
	return r
}

// Bool adds a boolean field.
func (r *Record) Bool(k string, v bool) *Record {
	r.log = r.log.Bool(k, v)
	if r.sink != nil {
		r.ev.Fields[k] = v
	}
	return r
}

// Msg writes the log record and hands the event to the sink.
func (r *Record) Msg(msg string) {
	r.log.Msg(msg)
	if r.sink != nil {
		r.ev.Message, r.ev.Time = msg, time.Now().UTC()
		r.sink(r.ev)
	}
}
