package servgap

// Stopping long calls: a context.Context reaches C through
// servgap_ctx_interrupt, which stops every long call running on the handle.

/*
#include "servgap.h"
*/
import "C"

import (
	"context"
	"time"
)

// interruptAgain is how often a cancelled call's handle is interrupted
// again until the call returns: C stops only the calls running when
// servgap_ctx_interrupt is called, and the call may have been about to
// begin at the first one.
const interruptAgain = 5 * time.Millisecond

// Interrupt stops the long calls running on the handle at the moment:
// queries, trend queries, re-measurements, CSV imports and snapshot loads
// return an error with code ErrInterrupted soon after, having changed
// nothing; calls that start later run normally (servgap_ctx_interrupt).
// It may be called from any goroutine, a signal handler's included. A
// context passed to a ...Context method stops only its own call instead.
func (c *Ctx) Interrupt() {
	p, err := c.acquire("Interrupt")
	if err != nil {
		return
	}
	defer c.release()
	// Counted before C sees it, so that a stopped call can tell this from
	// another goroutine's context, which it survives by running again.
	c.interrupts.Add(1)
	C.servgap_ctx_interrupt(p)
}

// interruptible runs call, one long C call on handle p named fn, under
// ctx, and returns its error. A context done before or during the call
// gives ErrInterrupted wrapping ctx.Err(). The C interrupt stops every
// long call on the handle, so a call stopped while its own context is
// live was stopped for another goroutine's, or by Interrupt: the first is
// run again (it changed nothing), the second reported.
func (c *Ctx) interruptible(ctx context.Context, p *C.servgap_ctx, fn string, call func() C.int) error {
	for {
		if err := ctx.Err(); err != nil {
			return interrupted(fn, err)
		}
		asked := c.interrupts.Load()
		rc := watched(ctx, p, call)
		if rc != C.SERVGAP_EINTERRUPTED {
			return ctxError(p, rc, fn)
		}
		if err := ctx.Err(); err != nil {
			return interrupted(fn, err)
		}
		if c.interrupts.Load() != asked {
			return ctxError(p, rc, fn)
		}
	}
}

// watched runs call while a goroutine interrupts handle p once ctx is
// done, and waits for that goroutine, so that it never touches p after
// the caller releases it.
func watched(ctx context.Context, p *C.servgap_ctx, call func() C.int) C.int {
	if ctx.Done() == nil {
		return call()
	}
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case <-done:
			return
		case <-ctx.Done():
		}
		again := time.NewTicker(interruptAgain)
		defer again.Stop()
		for {
			C.servgap_ctx_interrupt(p)
			select {
			case <-done:
				return
			case <-again.C:
			}
		}
	}()
	rc := call()
	close(done)
	<-stopped
	return rc
}

// interrupted is the error of a call that its context stopped, or never
// let start.
func interrupted(fn string, cause error) error {
	return &Error{Code: int(ErrInterrupted), Msg: fn + ": " + cause.Error() + ": nothing was changed", cause: cause}
}
