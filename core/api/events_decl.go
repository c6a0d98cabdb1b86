package api

import (
	"fmt"
	"reflect"
)

// Emitter sends an event: the dispatcher's Emit.
type Emitter func(eventType string, payload any)

// Event is the declaration of one event action: the event name (the "type" of
// the envelope), the action it carries and its payload struct. Payload fields
// tagged const:"value" always carry that value (Emit sets them), so the
// generated TypeScript types them as that literal, or, with tsenum:"Enum.Member",
// as that member of the JS API's enum (js/src/events.ts), as the official SDK
// types them (the generated file checks at compile time that the member's value
// is the const). A field tagged ts:"optional" is always sent but declared
// optional in TypeScript: the official SDK's type lacks it, and an optional
// extra keeps the two types assignable both ways (DESIGN §14).
type Event struct {
	Type    string
	Action  string
	Name    string // the TypeScript interface name
	Doc     string
	Payload reflect.Type
	consts  []constField
}

type constField struct {
	index int
	value string
}

// EventDecl is an event declaration with its payload type T.
type EventDecl[T any] struct{ *Event }

var declaredEvents []*Event

func declareEvent[T any](typ, action, name, doc string) EventDecl[T] {
	t := reflect.TypeFor[T]()
	e := &Event{Type: typ, Action: action, Name: name, Doc: doc, Payload: t}
	sawAction := action == ""
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		c, ok := f.Tag.Lookup("const")
		if !ok {
			continue
		}
		if f.Type.Kind() != reflect.String {
			panic(fmt.Sprintf("api: const field %s.%s is not a string", t, f.Name))
		}
		if f.Tag.Get("json") == "action" {
			if c != action {
				panic(fmt.Sprintf("api: %s: action field says %q, declaration %q", name, c, action))
			}
			sawAction = true
		}
		e.consts = append(e.consts, constField{i, c})
	}
	if !sawAction {
		panic(fmt.Sprintf("api: %s has no action field with const:%q", name, action))
	}
	declaredEvents = append(declaredEvents, e)
	return EventDecl[T]{e}
}

// DeclaredEvents returns every event declaration, in declaration order.
func DeclaredEvents() []*Event { return append([]*Event(nil), declaredEvents...) }

// Emit sends p as this event, with its const fields (action, flow) set.
func (e EventDecl[T]) Emit(emit Emitter, p T) {
	v := reflect.ValueOf(&p).Elem()
	for _, c := range e.consts {
		v.Field(c.index).SetString(c.value)
	}
	emit(e.Type, p)
}
