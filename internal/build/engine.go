package build

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/docker/docker/client"
)

// pingTimeout bounds the first contact with the Engine when the caller's
// context has no earlier deadline.
const pingTimeout = 15 * time.Second

// Connect returns a client for the Docker Engine named by the environment
// (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH; the default socket when
// DOCKER_HOST is unset). The client speaks the newest API version both sides
// support, and the Engine has answered a ping before Connect returns.
// The caller closes the client.
func Connect(ctx context.Context) (*client.Client, error) {
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, fmt.Errorf("creating a Docker Engine client from the environment: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	ping, err := cli.Ping(pingCtx)
	if err == nil && ping.APIVersion == "" {
		err = errors.New("the reply carries no API version; is it a Docker Engine?")
	}
	if err != nil {
		host := cli.DaemonHost()
		_ = cli.Close()
		return nil, fmt.Errorf("connecting to the Docker Engine at %s: %w", host, err)
	}
	cli.NegotiateAPIVersionPing(ping)
	return cli, nil
}
