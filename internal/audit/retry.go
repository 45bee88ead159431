package audit

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"regexp"
	"syscall"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// retryStatus are the answers that say to try again later.
var retryStatus = []int{
	http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
	http.StatusServiceUnavailable, http.StatusGatewayTimeout,
}

// retryable reports whether err is worth another attempt: the registry
// answered 429 or 5xx, or the connection failed.
func retryable(err error) bool {
	var te *transport.Error
	if errors.As(err, &te) {
		for _, s := range retryStatus {
			if te.StatusCode == s {
				return true
			}
		}
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE)
}

// backoff is the wait before attempt n+1: base doubled n-1 times, with
// up to 20% jitter, at most a minute.
func backoff(base time.Duration, n int) time.Duration {
	d := base << min(n-1, 16)
	d = min(d, time.Minute)
	return d + time.Duration(rand.Int64N(int64(d)/5+1))
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}

// secretRE matches what could carry a credential in an error message:
// user:password@ in a URL, and bearer tokens.
var secretRE = regexp.MustCompile(`(?i)(://)[^/@\s]+@|(bearer\s+)[A-Za-z0-9._~+/=-]+`)

// redact removes credentials from a message.
func redact(s string) string {
	return secretRE.ReplaceAllString(s, "${1}${2}[redacted]")
}
