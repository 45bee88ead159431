// Package ctxio makes reads stop when a context is done. A Read from a
// pipe or a terminal blocks in the kernel until the other end writes, and
// nothing in Go can interrupt it; Reader moves that wait to a goroutine of
// its own, so that the reader's user sees the context's error at once and
// can clean up and exit (the goroutine ends when the blocked Read returns,
// or with the process).
package ctxio

import (
	"context"
	"io"
	"sync"
)

// chunkSize is the size of the buffers the reading goroutine fills.
const chunkSize = 64 << 10

// Reader returns a reader of r whose Read returns ctx.Err() as soon as ctx
// is done, even while r is blocked. r is read ahead by up to two chunks;
// nothing is read from it before the first Read.
func Reader(ctx context.Context, r io.Reader) io.Reader {
	return &reader{ctx: ctx, r: r}
}

type chunk struct {
	buf []byte
	n   int
	err error
}

type reader struct {
	ctx  context.Context
	r    io.Reader
	once sync.Once
	full chan chunk  // filled by the goroutine
	free chan []byte // buffers handed back
	cur  chunk       // the chunk being consumed
	off  int
	err  error // sticky: the reader's error once reached
}

func (c *reader) start() {
	c.full = make(chan chunk, 1)
	c.free = make(chan []byte, 2)
	c.free <- make([]byte, chunkSize)
	c.free <- make([]byte, chunkSize)
	go func() {
		for {
			var buf []byte
			select {
			case buf = <-c.free:
			case <-c.ctx.Done():
				return
			}
			n, err := c.r.Read(buf)
			select {
			case c.full <- chunk{buf: buf, n: n, err: err}:
			case <-c.ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
}

func (c *reader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	c.once.Do(c.start)
	for c.off >= c.cur.n {
		if c.cur.err != nil {
			c.err = c.cur.err
			return 0, c.err
		}
		if c.cur.buf != nil {
			c.free <- c.cur.buf
			c.cur = chunk{}
		}
		select {
		case c.cur = <-c.full:
			c.off = 0
		case <-c.ctx.Done():
			return 0, c.ctx.Err()
		}
	}
	n := copy(p, c.cur.buf[c.off:c.cur.n])
	c.off += n
	return n, nil
}
