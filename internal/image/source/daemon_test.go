package source_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/source"
	"github.com/stratatools/strata/internal/image/source/daemon"
)

func TestDaemonUnreachable(t *testing.T) {
	src, err := source.Open("docker-daemon:app:1", source.Options{Engine: func(ctx context.Context) (daemon.EngineClient, error) {
		return nil, errors.New("dial unix /nonexistent.sock: connect: no such file or directory")
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = analyze(src, image.Options{})
	if err == nil || !strings.Contains(err.Error(), "Docker Engine") {
		t.Fatalf("err = %v", err)
	}
}
