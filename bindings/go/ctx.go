package servgap

// The handle: creation, Close, options and the last error.

/*
#include <stdlib.h>
#include "servgap.h"
*/
import "C"

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Ctx is a libservgap handle (servgap_ctx): the names, metrics, accounts,
// observations, efforts and plans of one analysis. It may be used by many
// goroutines at once. Close frees it.
type Ctx struct {
	// mu guards p against Close: every call holds it for reading, Close
	// for writing. The C handle does its own locking for everything else.
	mu sync.RWMutex
	p  *C.servgap_ctx
	// interrupts counts Interrupt calls (see interruptible).
	interrupts atomic.Int64
}

// CtxOption is an option value for New; see WithOption.
type CtxOption struct {
	opt   Option
	value float64
}

// WithOption sets option o to v on the new handle, as SetOption does.
func WithOption(o Option, v float64) CtxOption { return CtxOption{opt: o, value: v} }

// New creates a handle that knows the five built-in Likert 1..7 metrics
// (servgap_ctx_new with the C library's malloc), then applies opts in
// order. On an invalid option it frees the handle and returns the error.
func New(opts ...CtxOption) (*Ctx, error) {
	var p *C.servgap_ctx
	if rc := C.servgap_ctx_new(&p, nil); rc != C.SERVGAP_OK {
		return nil, newError(Errno(rc), "servgap_ctx_new: "+Strerror(int(rc)))
	}
	for _, o := range opts {
		rc := C.servgap_ctx_set_option(p, C.int32_t(o.opt), C.double(o.value))
		if err := ctxError(p, rc, "servgap_ctx_set_option"); err != nil {
			C.servgap_ctx_free(p)
			return nil, err
		}
	}
	c := &Ctx{p: p}
	runtime.SetFinalizer(c, (*Ctx).Close)
	return c, nil
}

// Close frees the handle (servgap_ctx_free). It waits for calls in progress
// on other goroutines; afterwards every method returns an *Error with code
// ErrMisuse. Results already returned stay readable, but their JSON method
// needs the handle and fails. Close is idempotent and always returns nil;
// it exists so that Ctx is an io.Closer. A finalizer calls it for a Ctx
// that becomes unreachable, but do not rely on that: the Go collector does
// not see the C memory.
func (c *Ctx) Close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.p != nil {
		C.servgap_ctx_free(c.p)
		c.p = nil
		runtime.SetFinalizer(c, nil)
	}
	return nil
}

// acquire read-locks the Ctx and returns its handle, or an error for a nil
// or closed Ctx (then nothing is locked). The caller must release().
func (c *Ctx) acquire(method string) (*C.servgap_ctx, error) {
	if c == nil {
		return nil, newError(ErrMisuse, "servgap: Ctx."+method+" on a nil Ctx")
	}
	c.mu.RLock()
	if c.p == nil {
		c.mu.RUnlock()
		return nil, newError(ErrMisuse, "servgap: Ctx."+method+" on a closed Ctx")
	}
	return c.p, nil
}

func (c *Ctx) release() { c.mu.RUnlock() }

// SetOption sets an option for queries started afterwards
// (servgap_ctx_set_option). ErrInvalid for an unknown option, ErrRange for a
// value outside its range.
func (c *Ctx) SetOption(o Option, v float64) error {
	p, err := c.acquire("SetOption")
	if err != nil {
		return err
	}
	defer c.release()
	return ctxError(p, C.servgap_ctx_set_option(p, C.int32_t(o), C.double(v)), "servgap_ctx_set_option")
}

// GetOption reads an option (servgap_ctx_get_option).
func (c *Ctx) GetOption(o Option) (float64, error) {
	p, err := c.acquire("GetOption")
	if err != nil {
		return 0, err
	}
	defer c.release()
	var v C.double
	if err := ctxError(p, C.servgap_ctx_get_option(p, C.int32_t(o), &v), "servgap_ctx_get_option"); err != nil {
		return 0, err
	}
	return float64(v), nil
}

// LastMessage returns the message of the handle's last failed call, ""
// if none (servgap_errmsg_copy). Errors returned by the methods already
// carry their message; this is for diagnostics. A closed Ctx gives "".
func (c *Ctx) LastMessage() string {
	p, err := c.acquire("LastMessage")
	if err != nil {
		return ""
	}
	defer c.release()
	return copyMessage(p)
}

// LastCode returns the status code of the handle's last failed call, 0 if
// none (servgap_errcode). A closed Ctx gives ErrMisuse.
func (c *Ctx) LastCode() int {
	p, err := c.acquire("LastCode")
	if err != nil {
		return int(ErrMisuse)
	}
	defer c.release()
	return int(C.servgap_errcode(p))
}

// cstring converts a Go string for C; the caller frees it with C.free. A
// string with a NUL byte would be cut short by C, so it is refused.
func cstring(s, method, what string) (*C.char, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, newError(ErrInvalid, "servgap: "+method+": "+what+" contains a NUL byte")
	}
	return C.CString(s), nil
}

func free(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}
