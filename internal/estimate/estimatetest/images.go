package estimatetest

import (
	"bytes"
	"fmt"
	"io"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Image is a fixture base image: its layers' files.
type Image struct {
	Name   string
	Layers []map[string][]byte
	Env    []string
}

const debianSources = "deb http://" + DebHost + "/debian fixture main\ndeb http://" + DebHost + "/debian fixture-updates main\n"

func debianLayer() map[string][]byte {
	return map[string][]byte{
		"etc/os-release":                     []byte("PRETTY_NAME=\"Fixture Debian\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=fixture\nID=debian\n"),
		"etc/debian_version":                 []byte("12.0\n"),
		"var/lib/dpkg/status":                []byte(DebStatus()),
		"etc/apt/apt.conf.d/01autoremove":    []byte("APT::NeverAutoRemove { \"^linux-image.*\"; };\n"),
		"var/cache/debconf/config.dat":       filler(300_000, "config"),
		"var/cache/debconf/templates.dat":    filler(500_000, "templates"),
		"usr/bin/bash":                       filler(1_200_000, "bash"),
		"usr/lib/x86_64-linux-gnu/libc.so.6": filler(2_000_000, "libc"),
		"usr/share/doc/old/changelog":        filler(10_000, "old"),
	}
}

// Images are the fixture base images: Debian as debootstrap makes it
// (no apt settings), Debian as Docker's official images are (docker-clean,
// compressed lists, no translations, deb822 sources), a slim Debian
// (dpkg leaves documentation out) and Alpine.
func Images() []Image {
	plain := debianLayer()
	plain["etc/apt/sources.list"] = []byte(debianSources)
	docker := debianLayer()
	docker["etc/apt/sources.list.d/debian.sources"] = []byte("Types: deb\nURIs: http://" + DebHost + "/debian\nSuites: fixture fixture-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n")
	docker["etc/apt/apt.conf.d/docker-clean"] = []byte(`DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
`)
	docker["etc/apt/apt.conf.d/docker-gzip-indexes"] = []byte("Acquire::GzipIndexes \"true\";\n")
	docker["etc/apt/apt.conf.d/docker-no-languages"] = []byte("Acquire::Languages \"none\";\n")
	slim := debianLayer()
	slim["etc/apt/sources.list"] = []byte(debianSources)
	slim["etc/dpkg/dpkg.cfg.d/docker-slim"] = []byte("path-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\npath-exclude /usr/share/man/*\n")
	delete(slim, "usr/share/doc/old/changelog")
	// A second layer: a file added, and the first layer's changelog
	// deleted (a whiteout).
	second := map[string][]byte{"etc/hostname": []byte("fixture\n"), "usr/share/doc/old/.wh.changelog": nil}
	alpine := map[string][]byte{
		"etc/os-release":          []byte("NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n"),
		"etc/alpine-release":      []byte("3.19.1\n"),
		"lib/apk/db/installed":    []byte(ApkInstalled()),
		"etc/apk/repositories":    []byte("http://" + ApkHost + "/alpine/v3/main\n#http://" + ApkHost + "/alpine/v3/community\n@edge http://" + ApkHost + "/alpine/edge/main\n"),
		"bin/busybox":             filler(900_000, "busybox"),
		"lib/ld-musl-x86_64.so.1": filler(600_000, "musl"),
	}
	env := []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
	return []Image{
		{Name: "debian", Layers: []map[string][]byte{plain, second}, Env: env},
		{Name: "debian-docker", Layers: []map[string][]byte{docker}, Env: env},
		{Name: "debian-slim", Layers: []map[string][]byte{slim}, Env: env},
		{Name: "alpine", Layers: []map[string][]byte{alpine}, Env: env},
	}
}

// Size is what the Engine would report for the image: its files' bytes.
func (im Image) Size() int64 {
	var n int64
	for _, l := range im.Layers {
		for _, b := range l {
			n += int64(len(b))
		}
	}
	return n
}

// Build makes the image.
func (im Image) Build() (v1.Image, error) {
	img := empty.Image
	for i, files := range im.Layers {
		b := tarFiles(files, "")
		l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		if img, err = mutate.AppendLayers(img, l); err != nil {
			return nil, err
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Config.Env = im.Env
	cf.Config.Cmd = []string{"sh"}
	cf.Created = v1.Time{Time: fixedTime}
	return mutate.ConfigFile(img, cf)
}

// imageTar writes the image as a docker save archive.
func imageTar(im Image) ([]byte, error) {
	img, err := im.Build()
	if err != nil {
		return nil, err
	}
	tag, err := name.NewTag("fixture/" + im.Name + ":latest")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := tarball.Write(tag, img, &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
