package dispatch

import (
	"errors"
	"fmt"
)

// Error is the one error shape of the SDK. Code, Domain and Message go on the wire;
// Data carries structured extras (such as remainingFailureCount) and also goes on
// the wire; cause is kept for logs and errors.Is/As and never sent.
type Error struct {
	Code    Code
	Message string
	Data    map[string]any
	cause   error
}

// Errorf builds an *Error with a formatted message. Never put secrets in the message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap builds an *Error that keeps cause for logging (the cause is never sent).
func Wrap(code Code, cause error, message string) *Error {
	return &Error{Code: code, Message: message, cause: cause}
}

// With returns e with key=value added to its Data.
func (e *Error) With(key string, value any) *Error {
	if e.Data == nil {
		e.Data = map[string]any{}
	}
	e.Data[key] = value
	return e
}

// Error implements error.
func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Code, e.Code.Domain(), e.Message) }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.cause }

// AsError converts any error into an *Error; errors that are not *Error become
// CodeInternal with a generic message (their text is not sent over the wire).
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Wrap(CodeInternal, err, "internal error")
}

// CodeOf returns the code of err, or 0 when err is nil.
func CodeOf(err error) Code {
	if err == nil {
		return 0
	}
	return AsError(err).Code
}
