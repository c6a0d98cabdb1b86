package dispatch

import "github.com/tidwall/gjson"

// String returns the required string parameter name, or a CodeBadParameters error
// naming it when it is missing or not a string.
func (c *Call) String(name string) (string, error) {
	v := c.Params.Get(name)
	if v.Type != gjson.String {
		return "", paramErr(name, "a string", v)
	}
	return v.Str, nil
}

// OptString returns the optional string parameter name ("" when absent or null).
func (c *Call) OptString(name string) (string, error) {
	v := c.Params.Get(name)
	switch v.Type {
	case gjson.Null:
		return "", nil
	case gjson.String:
		return v.Str, nil
	}
	return "", paramErr(name, "a string or null", v)
}

// Int returns the required integer parameter name.
func (c *Call) Int(name string) (int64, error) {
	v := c.Params.Get(name)
	if v.Type != gjson.Number || float64(v.Int()) != v.Num {
		return 0, paramErr(name, "an integer", v)
	}
	return v.Int(), nil
}

// Bool returns the optional boolean parameter name (def when absent or null).
func (c *Call) Bool(name string, def bool) (bool, error) {
	v := c.Params.Get(name)
	switch v.Type {
	case gjson.Null:
		return def, nil
	case gjson.True, gjson.False:
		return v.Bool(), nil
	}
	return false, paramErr(name, "a boolean", v)
}

// StringSlice returns the optional array-of-strings parameter name (nil when absent).
func (c *Call) StringSlice(name string) ([]string, error) {
	v := c.Params.Get(name)
	if v.Type == gjson.Null {
		return nil, nil
	}
	if !v.IsArray() {
		return nil, paramErr(name, "an array of strings", v)
	}
	var out []string
	var bad bool
	v.ForEach(func(_, e gjson.Result) bool {
		if e.Type != gjson.String {
			bad = true
			return false
		}
		out = append(out, e.Str)
		return true
	})
	if bad {
		return nil, paramErr(name, "an array of strings", v)
	}
	return out, nil
}

func paramErr(name, want string, v gjson.Result) *Error {
	if !v.Exists() {
		return Errorf(CodeBadParameters, "parameter %q is missing; it must be %s", name, want)
	}
	return Errorf(CodeBadParameters, "parameter %q must be %s", name, want)
}
