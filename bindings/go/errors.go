package servgap

// Errors: the C status codes as Go values, and the *Error every failing
// call returns.

/*
#include "servgap.h"
*/
import "C"

// Error is the fixed English text of the code (servgap_strerror).
func (e Errno) Error() string { return Strerror(int(e)) }

// Strerror returns the fixed English text of a status code, "unknown error"
// for a code this version does not know (servgap_strerror).
func Strerror(code int) string { return C.GoString(C.servgap_strerror(C.int(code))) }

// Error is a failed call: the C status code and the message that the
// library kept on the handle, which names the argument, index or
// FILE:LINE:COLUMN at fault.
type Error struct {
	Code int    // a negative status code; compare with errors.Is(err, ErrRange)
	Msg  string // the library's message, e.g. "servgap_record: value 9 outside [1, 7] of metric 'reliability'"
	// cause is what Go knows beyond the code: the context's error of an
	// interrupted call, the operating system's error of a file.
	cause error
}

// Error returns the message, or the code's text when there is none.
func (e *Error) Error() string {
	if e.Msg != "" {
		return e.Msg
	}
	return Strerror(e.Code)
}

// Unwrap returns the cause Go knows of: context.Canceled or
// context.DeadlineExceeded for a call a context stopped, an *fs.PathError
// (errors.Is(err, fs.ErrNotExist), ...) for a file that cannot be opened;
// else the code as an Errno.
func (e *Error) Unwrap() error {
	if e.cause != nil {
		return e.cause
	}
	return Errno(e.Code)
}

// Is reports whether target is the Errno of e's code, so that
// errors.Is(err, ErrRange) holds whatever the cause.
func (e *Error) Is(target error) bool {
	code, ok := target.(Errno)
	return ok && int(code) == e.Code
}

// As sets an *Errno target to e's code, whatever the cause.
func (e *Error) As(target interface{}) bool {
	code, ok := target.(*Errno)
	if ok {
		*code = Errno(e.Code)
	}
	return ok
}

// newError builds an *Error raised by the binding itself (no C call failed).
func newError(code Errno, msg string) *Error { return &Error{Code: int(code), Msg: msg} }

// ctxError returns nil for SERVGAP_OK, else the *Error of a failed call on
// handle p, with the handle's message. The message is copied at once; if
// the handle's last code is not rc, another goroutine failed in between (or
// the call set no message), so the code's text stands in for it.
func ctxError(p *C.servgap_ctx, rc C.int, fn string) error {
	if rc == C.SERVGAP_OK {
		return nil
	}
	msg := copyMessage(p)
	if msg == "" || C.servgap_errcode(p) != rc {
		msg = fn + ": " + Strerror(int(rc))
	}
	return &Error{Code: int(rc), Msg: msg}
}

// copyMessage copies the handle's last message (servgap_errmsg_copy). The
// library keeps messages under 512 bytes; a longer one is read again whole.
func copyMessage(p *C.servgap_ctx) string {
	var buf [512]C.char
	n := C.servgap_errmsg_copy(p, &buf[0], C.size_t(len(buf)))
	if int(n) < len(buf) {
		return C.GoString(&buf[0])
	}
	big := make([]C.char, int(n)+1)
	C.servgap_errmsg_copy(p, &big[0], C.size_t(len(big)))
	return C.GoString(&big[0])
}
