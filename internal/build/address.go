package build

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/moby/buildkit/client/connhelper/kubepod"

	"github.com/stratatools/strata/internal/vocab"
)

// Schemes of the BuildKit daemon addresses strata accepts, written as
// buildctl, BUILDKIT_HOST and buildx's remote and kubernetes drivers
// write them.
const (
	SchemeUnix            = "unix"
	SchemeTCP             = "tcp"
	SchemeDockerContainer = "docker-container"
	SchemeKubePod         = "kube-pod"
)

// EnvBuildKitHost is the environment variable that names a BuildKit
// daemon, as buildctl reads it.
const EnvBuildKitHost = "BUILDKIT_HOST"

// BuilderDaemon is the builder name a measurement records for a build on
// a BuildKit daemon reached through its own API.
const BuilderDaemon = "buildkitd"

// IsAddress reports whether s is written as a daemon address
// ("scheme://...") rather than as the name of one of the Docker Engine's
// builders.
func IsAddress(s string) bool { return strings.Contains(s, "://") }

// TLSFiles are the files of a TLS connection to a daemon on tcp://.
type TLSFiles struct {
	// CACert verifies the daemon's certificate; "" trusts the system's
	// authorities.
	CACert string
	// Cert and Key are the client's certificate and key, for a daemon
	// that asks for one; both or neither.
	Cert, Key string
	// ServerName is the name the daemon's certificate must carry; ""
	// takes the address's host.
	ServerName string
}

// Set reports whether any TLS setting is given.
func (t TLSFiles) Set() bool {
	return t.CACert != "" || t.Cert != "" || t.Key != "" || t.ServerName != ""
}

// CheckAddress checks a BuildKit daemon address and the TLS settings that
// go with it. A malformed address, a scheme strata does not know, TLS
// files with another scheme than tcp://, a certificate without its key
// or a file that cannot be read is a *vocab.InputError naming it.
func CheckAddress(addr string, tlsFiles TLSFiles) error {
	u, err := url.Parse(addr)
	if err != nil {
		return vocab.Inputf("BuildKit daemon address %q: %w", addr, err)
	}
	switch u.Scheme {
	case SchemeUnix:
		if u.Path == "" && u.Opaque == "" {
			return vocab.Inputf("BuildKit daemon address %q: no socket path (write unix:///run/buildkit/buildkitd.sock)", addr)
		}
	case SchemeTCP:
		host, port, err := net.SplitHostPort(u.Host)
		if err != nil || host == "" || port == "" {
			return vocab.Inputf("BuildKit daemon address %q: want tcp://HOST:PORT", addr)
		}
	case SchemeDockerContainer:
		if u.Hostname() == "" {
			return vocab.Inputf("BuildKit daemon address %q: no container name (write docker-container://NAME)", addr)
		}
	case SchemeKubePod:
		if _, err := kubepod.SpecFromURL(u); err != nil {
			return vocab.Inputf("BuildKit daemon address %q: %v (write kube-pod://POD?namespace=NS&context=CTX&container=C)", addr, err)
		}
	default:
		return vocab.Inputf("BuildKit daemon address %q: unknown scheme %q (want unix://, tcp://, docker-container:// or kube-pod://)", addr, u.Scheme)
	}
	if !tlsFiles.Set() {
		return nil
	}
	if u.Scheme != SchemeTCP {
		return vocab.Inputf("BuildKit daemon address %q: the TLS settings apply to tcp:// addresses only", addr)
	}
	if (tlsFiles.Cert == "") != (tlsFiles.Key == "") {
		return vocab.Inputf("--tls-cert and --tls-key go together: give both or neither")
	}
	for _, f := range []struct{ flag, path string }{{"--tls-cacert", tlsFiles.CACert}, {"--tls-cert", tlsFiles.Cert}, {"--tls-key", tlsFiles.Key}} {
		if f.path == "" {
			continue
		}
		if _, err := os.Stat(f.path); err != nil {
			return vocab.Inputf("%s: %w", f.flag, err)
		}
	}
	return nil
}

// redactAddress drops what an address may carry besides where the daemon
// is (a user and password in tcp://user:pass@host), for messages.
func redactAddress(addr string) string {
	u, err := url.Parse(addr)
	if err != nil || u.User == nil {
		return addr
	}
	u.User = nil
	return fmt.Sprint(u)
}
