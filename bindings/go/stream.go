package servgap

// The write function servgap_result_json_stream calls: a Go function
// exported to C. A file with //export may only declare in its preamble,
// so the C shim that passes it to the library lives in result.go.

/*
#include <stddef.h>
#include <stdint.h>
*/
import "C"

import (
	"io"
	"runtime/cgo"
	"unsafe"
)

// jsonStream is what one WriteJSON call hands to C, through a cgo.Handle.
type jsonStream struct {
	w   io.Writer
	n   int64
	err error
}

//export servgapGoWrite
func servgapGoWrite(user unsafe.Pointer, data *C.char, n C.size_t) C.int32_t {
	s := cgo.Handle(uintptr(user)).Value().(*jsonStream)
	// An io.Writer must not keep p, so the piece need not be copied: it is
	// valid until this returns.
	k, err := s.w.Write(unsafe.Slice((*byte)(unsafe.Pointer(data)), int(n)))
	s.n += int64(k)
	if err == nil && k != int(n) {
		err = io.ErrShortWrite
	}
	if err != nil {
		s.err = err
		return 1
	}
	return 0
}
