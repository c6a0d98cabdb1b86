package api

import (
	"context"
	"fmt"
	"reflect"

	"github.com/openmobileauth/oma/core/dispatch"
)

// Method is the declaration of one SDK method: its name, its params type (a
// struct whose tags the dispatcher decodes by, see dispatch.Field), its result
// type and the error codes it may answer besides 8000 (internal) and 8009 (bad
// parameters), which every method may answer. cmd/contractgen writes the schema
// and the TypeScript layer from these declarations (DESIGN §11).
type Method struct {
	Name   string
	Doc    string
	Params reflect.Type
	Result reflect.Type
	Errors []dispatch.Code
	// Internal methods (ping, getVersion) are not part of the OneginiSdk API.
	Internal bool
}

// Decl is a method declaration with its params type P and result type R; feature
// packages bind their handler to it with Handle.
type Decl[P, R any] struct{ *Method }

var declared []*Method

func declare[P, R any](name, doc string, errs ...dispatch.Code) Decl[P, R] {
	m := &Method{Name: name, Doc: doc, Params: reflect.TypeFor[P](), Result: reflect.TypeFor[R](), Errors: errs}
	dispatch.PlanOf(m.Params) // a params type the dispatcher cannot decode fails at load time
	for _, e := range errs {
		if e.Info().Code != e {
			panic(fmt.Sprintf("api: %s declares code %d, which is not in the code table", name, e))
		}
	}
	declared = append(declared, m)
	return Decl[P, R]{m}
}

// Declared returns every method declaration, in declaration order.
func Declared() []*Method { return append([]*Method(nil), declared...) }

// Lookup returns the declaration of a method name, or nil.
func Lookup(name string) *Method {
	for _, m := range declared {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// Binding is a declared method bound to its handler.
type Binding struct {
	Method  *Method
	Handler dispatch.Handler
}

// Handle binds h to the declaration: the dispatcher decodes the params into P
// (CodeBadParameters naming the parameter on a mismatch) before h runs.
func (d Decl[P, R]) Handle(h func(ctx context.Context, p P) (R, error)) Binding {
	return Binding{Method: d.Method, Handler: dispatch.Typed(d.Name, h)}
}

// Register adds bound methods to the dispatcher; it stops at the first error.
func Register(d *dispatch.Dispatcher, bs ...Binding) error {
	for _, b := range bs {
		if err := d.Register(b.Method.Name, b.Handler); err != nil {
			return err
		}
	}
	return nil
}

// None is the params type of a method without parameters and the result type of
// a method that answers null.
type None = dispatch.None

// JSONValue is a parameter holding any JSON value (its raw JSON).
type JSONValue = dispatch.JSONValue

// MethodNames returns the declared method names, in declaration order.
func MethodNames() []string {
	out := make([]string, len(declared))
	for i, m := range declared {
		out[i] = m.Name
	}
	return out
}

// MayAnswer reports whether the method declares error code c (8000 and 8009
// are declared for every method).
func (m *Method) MayAnswer(c dispatch.Code) bool {
	if c == dispatch.CodeInternal || c == dispatch.CodeBadParameters {
		return true
	}
	for _, e := range m.Errors {
		if e == c {
			return true
		}
	}
	return false
}
