package image

import (
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestHistoryKeyword(t *testing.T) {
	for in, want := range map[string]string{
		`/bin/sh -c #(nop)  CMD ["bash"]`:                 "CMD",
		`/bin/sh -c #(nop) COPY file:ab in /app `:         "COPY",
		`/bin/sh -c apt-get update`:                       "RUN",
		`|2 A=1 B=2 /bin/sh -c make`:                      "RUN",
		`RUN /bin/sh -c apt-get update # buildkit`:        "RUN",
		`COPY . /app # buildkit`:                          "COPY",
		`ENV PATH=/usr/local/bin:/usr/bin`:                "ENV",
		`# debian.sh --arch 'amd64' out/ 'bookworm' '@1'`: "",
		``: "",
	} {
		if got := historyKeyword(in); got != want {
			t.Errorf("historyKeyword(%q) = %q, want %q", in, got, want)
		}
	}
	if got := ShortCommand(`/bin/sh -c #(nop)  CMD ["bash"]`, 0); got != `CMD ["bash"]` {
		t.Errorf("ShortCommand = %q", got)
	}
	if got := ShortCommand(`RUN /bin/sh -c apt-get   update # buildkit`, 0); got != `RUN apt-get update` {
		t.Errorf("ShortCommand = %q", got)
	}
}

func TestDetectBase(t *testing.T) {
	h := []v1.History{
		{CreatedBy: "ADD file:x in /"},
		{CreatedBy: `/bin/sh -c #(nop)  CMD ["bash"]`, EmptyLayer: true},
		{CreatedBy: "RUN a"},
		{CreatedBy: `CMD ["app"]`, EmptyLayer: true},
	}
	layerOf, ok := historyLayers(h, 2)
	if !ok {
		t.Fatal("history does not fit")
	}
	n, hist, _ := detectBase(h, layerOf)
	if n != 1 || hist != 2 {
		t.Fatalf("detectBase = %d layers, %d entries", n, hist)
	}
	for _, comment := range []string{"Imported from -", "debootstrap --variant=minbase bookworm"} {
		imported := []v1.History{{Comment: comment}, {CreatedBy: "RUN a"}}
		layerOf, _ = historyLayers(imported, 2)
		if n, _, _ := detectBase(imported, layerOf); n != 1 {
			t.Fatalf("imported base (%q) = %d", comment, n)
		}
	}
	// A history without any of these marks has no recognized base.
	plain := []v1.History{{CreatedBy: "COPY a /"}, {CreatedBy: "RUN b"}}
	layerOf, _ = historyLayers(plain, 2)
	if n, _, _ := detectBase(plain, layerOf); n != 0 {
		t.Fatalf("plain history base = %d", n)
	}
}
