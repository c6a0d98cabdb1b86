package dispatch

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/tidwall/gjson"
)

// None is the params type of a method without parameters and the result type
// of a method that answers null.
type None struct{}

// JSONValue is a parameter that may hold any JSON value; it keeps the value's
// raw JSON ("" when the parameter is absent or null).
type JSONValue string

// Typed adapts a handler that takes its params as the struct P and answers R.
// The params object is decoded into P before h runs, by the rules of the
// struct's tags (see DecodeParams); a mismatch answers CodeBadParameters naming
// the parameter and h does not run. A None result answers null.
func Typed[P, R any](method string, h func(ctx context.Context, p P) (R, error)) Handler {
	plan := PlanOf(reflect.TypeFor[P]())
	void := reflect.TypeFor[R]() == reflect.TypeFor[None]()
	return func(ctx context.Context, c *Call) (any, error) {
		var p P
		if err := plan.decode(method, c.Params, reflect.ValueOf(&p).Elem()); err != nil {
			return nil, err
		}
		r, err := h(ctx, p)
		if err != nil || void {
			return nil, err
		}
		return r, nil
	}
}

// Kind is how a parameter field is read from JSON.
type Kind int

// The parameter kinds DecodeParams supports.
const (
	KindString    Kind = iota + 1 // string (null allowed when optional), *string (null allowed)
	KindBool                      // bool
	KindInt                       // int, int64 (an integral number)
	KindStrings                   // []string
	KindStringMap                 // map[string]string
	KindJSON                      // JSONValue: any JSON value
)

// Field describes one parameter of a params struct, read from its tags:
//
//	json:"name"            the parameter name; ",omitempty" makes it optional
//	oma:"nonempty"         a string that may not be ""
//	oma:"fold"             the enum compares case-insensitively
//	enum:"A,B"             the allowed values of a string
//	doc:"..."              documentation for the generated schema
//
// A pointer (*string) accepts null; a required parameter must be present.
type Field struct {
	Name     string
	Index    int
	Kind     Kind
	Nullable bool // *string: null is a value (nil)
	Optional bool // may be absent (and null)
	NonEmpty bool
	Enum     []string
	Fold     bool
	Doc      string
}

// Plan is the decoding plan of one params struct type.
type Plan struct {
	Type   reflect.Type
	Fields []Field
}

// PlanOf builds the plan of a params struct type. It panics on a field type or
// tag it does not support: declarations are checked when the package loads.
func PlanOf(t reflect.Type) *Plan {
	if t.Kind() != reflect.Struct {
		panic(fmt.Sprintf("dispatch: params type %s is not a struct", t))
	}
	if t.NumField() > maxFields {
		panic(fmt.Sprintf("dispatch: params type %s has more than %d fields", t, maxFields))
	}
	p := &Plan{Type: t}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("json")
		if !ok || tag == "-" || !sf.IsExported() {
			panic(fmt.Sprintf("dispatch: params field %s.%s needs a json tag", t, sf.Name))
		}
		name, opts, _ := strings.Cut(tag, ",")
		f := Field{Name: name, Index: i, Optional: opts == "omitempty", Doc: sf.Tag.Get("doc")}
		for _, o := range strings.Split(sf.Tag.Get("oma"), ",") {
			switch o {
			case "nonempty":
				f.NonEmpty = true
			case "fold":
				f.Fold = true
			case "":
			default:
				panic(fmt.Sprintf("dispatch: params field %s.%s: unknown oma option %q", t, sf.Name, o))
			}
		}
		if e := sf.Tag.Get("enum"); e != "" {
			f.Enum = strings.Split(e, ",")
		}
		switch ft := sf.Type; {
		case ft == reflect.TypeFor[JSONValue]():
			f.Kind = KindJSON
		case ft.Kind() == reflect.String:
			f.Kind = KindString
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.String:
			f.Kind, f.Nullable = KindString, true
		case ft.Kind() == reflect.Bool:
			f.Kind = KindBool
		case ft.Kind() == reflect.Int || ft.Kind() == reflect.Int64:
			f.Kind = KindInt
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.String:
			f.Kind = KindStrings
		case ft.Kind() == reflect.Map && ft.Key().Kind() == reflect.String && ft.Elem().Kind() == reflect.String:
			f.Kind = KindStringMap
		default:
			panic(fmt.Sprintf("dispatch: params field %s.%s has unsupported type %s", t, sf.Name, ft))
		}
		p.Fields = append(p.Fields, f)
	}
	return p
}

// DecodeParams decodes the params object of method into *dst (a pointer to a
// params struct). Absent or null params count as {}. Unknown members, missing
// required members and members of the wrong type answer CodeBadParameters
// naming the member (never its value: it may be a PIN or an OTP).
func DecodeParams(method string, params gjson.Result, dst any) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer {
		return Errorf(CodeInternal, "dispatch: DecodeParams needs a pointer")
	}
	if err := PlanOf(v.Elem().Type()).decode(method, params, v.Elem()); err != nil {
		return err
	}
	return nil
}

// maxFields bounds the params a struct may declare (the seen set is a bit mask).
const maxFields = 64

func (p *Plan) decode(method string, params gjson.Result, dst reflect.Value) *Error {
	if params.Type != gjson.Null && !params.IsObject() {
		return Errorf(CodeBadParameters, "params must be an object")
	}
	var seen uint64
	var err *Error
	if params.IsObject() {
		params.ForEach(func(k, v gjson.Result) bool {
			i := p.field(k.Str)
			if i < 0 {
				err = Errorf(CodeBadParameters, "parameter %q is not a parameter of %s", truncate(k.Str, 64), method)
				return false
			}
			seen |= 1 << uint(i)
			err = p.Fields[i].set(dst.Field(p.Fields[i].Index), v)
			return err == nil
		})
	}
	if err != nil {
		return err
	}
	for i := range p.Fields {
		if f := &p.Fields[i]; seen&(1<<uint(i)) == 0 && !f.Optional {
			return Errorf(CodeBadParameters, "parameter %q is missing; it must be %s", f.Name, f.want())
		}
	}
	return nil
}

func (p *Plan) field(name string) int {
	for i := range p.Fields {
		if p.Fields[i].Name == name {
			return i
		}
	}
	return -1
}

// want describes the expected value, for error messages.
func (f *Field) want() string {
	switch f.Kind {
	case KindString:
		s := "a string"
		if f.NonEmpty {
			s = "a non-empty string"
		}
		if len(f.Enum) > 0 {
			s = "one of " + quoteList(f.Enum)
		}
		if f.Nullable || f.Optional {
			s += " or null"
		}
		return s
	case KindBool:
		return "a boolean"
	case KindInt:
		return "an integer"
	case KindStrings:
		return "an array of strings"
	case KindStringMap:
		return "an object of strings"
	}
	return "a JSON value"
}

func quoteList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

func (f *Field) bad() *Error {
	return Errorf(CodeBadParameters, "parameter %q must be %s", f.Name, f.want())
}

// set stores v (present in the params object) into dst.
func (f *Field) set(dst reflect.Value, v gjson.Result) *Error {
	if v.Type == gjson.Null {
		// null reads as the zero value where the parameter may be omitted or is nullable.
		if f.Optional || f.Nullable || f.Kind == KindJSON {
			return nil
		}
		return f.bad()
	}
	switch f.Kind {
	case KindString:
		if v.Type != gjson.String {
			return f.bad()
		}
		if f.NonEmpty && v.Str == "" {
			return Errorf(CodeBadParameters, "parameter %q must not be empty", f.Name)
		}
		if len(f.Enum) > 0 && !f.inEnum(v.Str) {
			return f.bad()
		}
		if f.Nullable {
			s := new(string) // only nullable params pay for the pointer
			*s = v.Str
			dst.Set(reflect.ValueOf(s))
		} else {
			dst.SetString(v.Str)
		}
	case KindBool:
		if v.Type != gjson.True && v.Type != gjson.False {
			return f.bad()
		}
		dst.SetBool(v.Type == gjson.True)
	case KindInt:
		if v.Type != gjson.Number || float64(v.Int()) != v.Num {
			return f.bad()
		}
		dst.SetInt(v.Int())
	case KindStrings:
		if !v.IsArray() {
			return f.bad()
		}
		var out []string
		ok := true
		v.ForEach(func(_, e gjson.Result) bool {
			ok = e.Type == gjson.String
			out = append(out, e.Str)
			return ok
		})
		if !ok {
			return f.bad()
		}
		dst.Set(reflect.ValueOf(out))
	case KindStringMap:
		if !v.IsObject() {
			return f.bad()
		}
		out := map[string]string{}
		ok := true
		v.ForEach(func(k, e gjson.Result) bool {
			ok = e.Type == gjson.String
			out[k.Str] = e.Str
			return ok
		})
		if !ok {
			return f.bad()
		}
		dst.Set(reflect.ValueOf(out))
	case KindJSON:
		dst.SetString(v.Raw)
	}
	return nil
}

func (f *Field) inEnum(s string) bool {
	for _, e := range f.Enum {
		if s == e || (f.Fold && strings.EqualFold(s, e)) {
			return true
		}
	}
	return false
}
