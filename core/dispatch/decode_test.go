package dispatch

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

type greetParams struct {
	Name    string            `json:"name" oma:"nonempty"`
	Times   int               `json:"times"`
	Loud    bool              `json:"loud,omitempty"`
	Tags    []string          `json:"tags,omitempty"`
	Mood    string            `json:"mood,omitempty" enum:"HAPPY,SAD" oma:"fold"`
	Nick    *string           `json:"nick"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    JSONValue         `json:"body,omitempty"`
}

type greetResult struct {
	Text string `json:"text"`
}

func greetDispatcher(t *testing.T) (*Dispatcher, *greetParams) {
	t.Helper()
	d := New(Options{})
	t.Cleanup(d.Close)
	var got greetParams
	if err := d.Register("greet", Typed("greet", func(_ context.Context, p greetParams) (greetResult, error) {
		got = p
		return greetResult{Text: strings.Repeat(p.Name, p.Times)}, nil
	})); err != nil {
		t.Fatal(err)
	}
	if err := d.Register("quiet", Typed("quiet", func(context.Context, None) (None, error) { return None{}, nil })); err != nil {
		t.Fatal(err)
	}
	return d, &got
}

func TestTypedDecodes(t *testing.T) {
	d, got := greetDispatcher(t)
	resp := handle(d, `{"jsonrpc":"2.0","id":1,"method":"greet","params":{"name":"ab","times":2,"loud":true,"tags":["x","y"],"mood":"happy","nick":"n","headers":{"A":"b"},"body":{"k":[1]}}}`)
	if resp != `{"jsonrpc":"2.0","id":1,"result":{"text":"abab"}}` {
		t.Fatalf("resp %s", resp)
	}
	if !got.Loud || len(got.Tags) != 2 || got.Mood != "happy" || got.Nick == nil || *got.Nick != "n" ||
		got.Headers["A"] != "b" || got.Body != `{"k":[1]}` {
		t.Fatalf("decoded %+v", *got)
	}
	// Optional members absent or null, nullable null: zero values.
	resp = handle(d, `{"jsonrpc":"2.0","id":2,"method":"greet","params":{"name":"a","times":1,"nick":null,"loud":null,"tags":null,"body":null}}`)
	if !strings.Contains(resp, `"result"`) || got.Nick != nil || got.Loud || got.Tags != nil || got.Body != "" {
		t.Fatalf("resp %s decoded %+v", resp, *got)
	}
	// A method without params or result: {} / null / absent params, null result.
	for _, p := range []string{`,"params":{}`, `,"params":null`, ``} {
		if r := handle(d, `{"jsonrpc":"2.0","id":3,"method":"quiet"`+p+`}`); r != `{"jsonrpc":"2.0","id":3,"result":null}` {
			t.Fatalf("quiet%s: %s", p, r)
		}
	}
}

// Unknown, missing and mistyped params answer 8009 naming the parameter (never
// its value), and the handler does not run.
func TestTypedRejects(t *testing.T) {
	d, got := greetDispatcher(t)
	cases := []struct{ params, mention string }{
		{`{}`, `"name" is missing`},
		{`{"name":"a","nick":null}`, `"times" is missing`},
		{`{"name":"a","times":1}`, `"nick" is missing`},
		{`{"name":5,"times":1,"nick":null}`, `"name" must be a non-empty string`},
		{`{"name":null,"times":1,"nick":null}`, `"name" must be`},
		{`{"name":"","times":1,"nick":null}`, `"name" must not be empty`},
		{`{"name":"a","times":"2","nick":null}`, `"times" must be an integer`},
		{`{"name":"a","times":2.5,"nick":null}`, `"times" must be an integer`},
		{`{"name":"a","times":1,"nick":null,"loud":"yes"}`, `"loud" must be a boolean`},
		{`{"name":"a","times":1,"nick":null,"tags":"a"}`, `"tags" must be an array of strings`},
		{`{"name":"a","times":1,"nick":null,"tags":["a",1]}`, `"tags" must be an array of strings`},
		{`{"name":"a","times":1,"nick":null,"mood":"angry-s3cret"}`, `"mood" must be one of "HAPPY", "SAD"`},
		{`{"name":"a","times":1,"nick":7}`, `"nick" must be a string or null`},
		{`{"name":"a","times":1,"nick":null,"headers":{"a":1}}`, `"headers" must be an object of strings`},
		{`{"name":"a","times":1,"nick":null,"headers":[]}`, `"headers" must be an object of strings`},
		{`{"name":"a","times":1,"nick":null,"pin":"13579"}`, `"pin" is not a parameter of greet`},
	}
	for i, c := range cases {
		*got = greetParams{Name: "untouched"}
		resp := handle(d, `{"jsonrpc":"2.0","id":1,"method":"greet","params":`+c.params+`}`)
		if !strings.Contains(resp, `"code":8009`) || !strings.Contains(resp, strings.ReplaceAll(c.mention, `"`, `\"`)) {
			t.Errorf("case %d %s: %s", i, c.params, resp)
		}
		if strings.Contains(resp, "13579") || strings.Contains(resp, "s3cret") {
			t.Errorf("case %d: the value is echoed: %s", i, resp)
		}
		if got.Name != "untouched" {
			t.Errorf("case %d: the handler ran", i)
		}
	}
	if r := handle(d, `{"jsonrpc":"2.0","id":1,"method":"quiet","params":{"x":1}}`); !strings.Contains(r, `\"x\" is not a parameter of quiet`) {
		t.Errorf("quiet with a param: %s", r)
	}
}

func TestPlanOfRefusesUnsupportedTypes(t *testing.T) {
	for _, v := range []any{
		struct{ A int }{},
		struct {
			A float64 `json:"a"`
		}{},
		struct {
			A string `json:"a" oma:"shout"`
		}{},
		7,
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%T: no panic", v)
				}
			}()
			PlanOf(reflect.TypeOf(v))
		}()
	}
}

func TestDecodeParams(t *testing.T) {
	var p greetParams
	if err := DecodeParams("greet", gjson.Parse(`{"name":"a","times":3,"nick":null}`), &p); err != nil || p.Times != 3 {
		t.Fatalf("%v %+v", err, p)
	}
	if err := DecodeParams("greet", gjson.Parse(`{"name":"a"}`), &p); CodeOf(err) != CodeBadParameters {
		t.Fatalf("missing times: %v", err)
	}
	if err := DecodeParams("greet", gjson.Parse(`{}`), p); CodeOf(err) != CodeInternal {
		t.Fatalf("not a pointer: %v", err)
	}
}
