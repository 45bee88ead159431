package ctxio

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"testing"
	"time"
)

// TestReaderCopies reads data through the reader in odd-sized pieces.
func TestReaderCopies(t *testing.T) {
	data := make([]byte, 1<<20+12345)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	got, err := io.ReadAll(Reader(context.Background(), io.MultiReader(bytes.NewReader(data[:100]), bytes.NewReader(data[100:]))))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, err %v", len(got), err)
	}
	if _, err := Reader(context.Background(), errReader{}).Read(make([]byte, 4)); !errors.Is(err, errBoom) {
		t.Fatalf("error not passed on: %v", err)
	}
}

var errBoom = errors.New("boom")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBoom }

// TestReaderStops blocks on a pipe nobody writes to: cancelling the
// context ends the Read.
func TestReaderStops(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pw.Close()
	defer pr.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Reader(ctx, pr).Read(make([]byte, 10))
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Read still blocked after the context was cancelled")
	}
}
