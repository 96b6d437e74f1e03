package servgap

// Errors: the C status codes as Go values, and the *Error every failing
// call returns.

/*
#include "servgap.h"
*/
import "C"

// Errno is a libservgap status code as an error value. The sentinels
// ErrMisuse ... ErrCorrupt are Errnos; test an error with
// errors.Is(err, servgap.ErrRange).
type Errno int

// Status codes (include/servgap.h). OK is not an error.
const (
	OK          Errno = C.SERVGAP_OK
	ErrMisuse   Errno = C.SERVGAP_EMISUSE   // NULL handle or pointer; a closed Ctx or Result
	ErrInvalid  Errno = C.SERVGAP_EINVAL    // an argument that is not one of its allowed values
	ErrRange    Errno = C.SERVGAP_ERANGE    // a number outside its valid range, NaN or infinite
	ErrNotFound Errno = C.SERVGAP_ENOTFOUND // an id or name that the handle does not know
	ErrConflict Errno = C.SERVGAP_ECONFLICT // a definition that contradicts an earlier one
	ErrNoMem    Errno = C.SERVGAP_ENOMEM    // the allocator failed
	ErrLimit    Errno = C.SERVGAP_ELIMIT    // a capacity limit was reached
	ErrBufSize  Errno = C.SERVGAP_EBUFSIZE  // a buffer was too small (the binding retries)
	ErrIO       Errno = C.SERVGAP_EIO       // reading or writing a file failed
	ErrFormat   Errno = C.SERVGAP_EFORMAT   // malformed input such as CSV
	ErrCorrupt  Errno = C.SERVGAP_ECORRUPT  // a damaged, truncated or foreign snapshot
)

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
}

// Error returns the message, or the code's text when there is none.
func (e *Error) Error() string {
	if e.Msg != "" {
		return e.Msg
	}
	return Strerror(e.Code)
}

// Unwrap returns the code as an Errno, so that errors.Is(err, ErrRange)
// holds for an *Error with code SERVGAP_ERANGE.
func (e *Error) Unwrap() error { return Errno(e.Code) }

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
