package estimatetest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// fixedTime stamps every file the fixtures write.
var fixedTime = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

// tarFiles writes a tar of files (name → content), sorted by name.
func tarFiles(files map[string][]byte, prefix string) []byte {
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, n := range names {
		tw.WriteHeader(&tar.Header{Name: prefix + n, Mode: 0o644, Size: int64(len(files[n])), ModTime: fixedTime, Typeflag: tar.TypeReg, Format: tar.FormatPAX})
		tw.Write(files[n])
	}
	tw.Close()
	return buf.Bytes()
}

// filler is n bytes of text (files whose size matters, not content).
func filler(n int, seed string) []byte {
	b := bytes.Repeat([]byte(seed+" "), n/(len(seed)+1)+1)
	return b[:n]
}

// ApkPackage is a package of the fixture Alpine repository.
type ApkPackage struct {
	Name, Version   string
	Installed, Size int64
	Depends         string
	Provides        string
	Base            bool
}

// ApkPackages is the fixture Alpine repository.
var ApkPackages = []ApkPackage{
	{Name: "musl", Version: "1.2.4-r2", Installed: 640000, Size: 390000, Provides: "so:libc.musl-x86_64.so.1=1", Base: true},
	{Name: "busybox", Version: "1.36.1-r5", Installed: 960000, Size: 500000, Depends: "so:libc.musl-x86_64.so.1", Provides: "cmd:sh=1.36.1-r5 cmd:busybox=1.36.1-r5", Base: true},
	{Name: "ca-certificates-bundle", Version: "20230506-r0", Installed: 230000, Size: 120000, Base: true},
	{Name: "curl", Version: "8.5.0-r0", Installed: 300000, Size: 160000, Depends: "ca-certificates-bundle so:libc.musl-x86_64.so.1 so:libcurl.so.4", Provides: "cmd:curl=8.5.0-r0"},
	{Name: "libcurl", Version: "8.5.0-r0", Installed: 700000, Size: 360000, Depends: "so:libc.musl-x86_64.so.1 so:libz.so.1", Provides: "so:libcurl.so.4=4.8.0"},
	{Name: "zlib", Version: "1.3.1-r0", Installed: 110000, Size: 55000, Depends: "so:libc.musl-x86_64.so.1", Provides: "so:libz.so.1=1.3.1"},
	{Name: "python3", Version: "3.11.8-r0", Installed: 42000000, Size: 12000000, Depends: "so:libc.musl-x86_64.so.1 so:libz.so.1 !python2", Provides: "cmd:python3=3.11.8-r0"},
	{Name: "build-base", Version: "0.5-r3", Installed: 0, Size: 1500, Depends: "gcc make"},
	{Name: "gcc", Version: "13.2.1-r1", Installed: 120000000, Size: 30000000, Depends: "so:libc.musl-x86_64.so.1"},
	{Name: "make", Version: "4.4.1-r2", Installed: 270000, Size: 130000, Depends: "so:libc.musl-x86_64.so.1"},
}

func apkStanza(p ApkPackage, installed bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "C:Q1fixture%s=\nP:%s\nV:%s\nA:x86_64\nS:%d\nI:%d\nT:the %s fixture package\nU:https://apk.test/\nL:MIT\no:%s\nm:Fixture <fixture@apk.test>\nt:1700000000\n", p.Name, p.Name, p.Version, p.Size, p.Installed, p.Name, p.Name)
	if p.Depends != "" {
		fmt.Fprintf(&b, "D:%s\n", p.Depends)
	}
	if p.Provides != "" {
		fmt.Fprintf(&b, "p:%s\n", p.Provides)
	}
	if installed {
		fmt.Fprintf(&b, "F:usr/lib\nR:lib%s.so\na:0:0:755\nZ:Q1fixture=\n", p.Name)
	}
	return b.String()
}

// ApkInstalled is apk's installed database of the fixture Alpine image.
func ApkInstalled() string {
	var parts []string
	for _, p := range ApkPackages {
		if p.Base {
			parts = append(parts, apkStanza(p, true))
		}
	}
	return strings.Join(parts, "\n") + "\n"
}

// apkRepo adds the repository's APKINDEX.tar.gz: a signature archive
// and the index archive, gzip streams one after the other, as abuild
// makes them.
func apkRepo(files map[string][]byte) {
	var stanzas []string
	for _, p := range ApkPackages {
		stanzas = append(stanzas, apkStanza(p, false))
	}
	index := []byte(strings.Join(stanzas, "\n") + "\n")
	sig := tarFiles(map[string][]byte{".SIGN.RSA.fixture.rsa.pub": filler(256, "signature")}, "")
	// The signature part has no end-of-archive blocks.
	sig = sig[:len(sig)-1024]
	idx := tarFiles(map[string][]byte{"DESCRIPTION": []byte("fixture main"), "APKINDEX": index}, "")
	files[ApkHost+"/alpine/v3/main/x86_64/APKINDEX.tar.gz"] = append(gz(sig), gz(idx)...)
}

// NpmPackage is a package version of the fixture npm registry.
type NpmPackage struct {
	Name, Version string
	// Files are the tarball's files' sizes.
	Files map[string]int
	Deps  map[string]string
	// DeclareUnpacked puts dist.unpackedSize in the version document.
	DeclareUnpacked bool
}

// NpmPackages is the fixture npm registry.
var NpmPackages = []NpmPackage{
	{Name: "express", Version: "4.17.1", Files: map[string]int{"package.json": 1200, "index.js": 224, "lib/express.js": 2400}, Deps: map[string]string{"debug": "2.6.9"}, DeclareUnpacked: true},
	{Name: "express", Version: "4.18.2", Files: map[string]int{"package.json": 1300, "index.js": 224, "lib/express.js": 2500, "lib/router/index.js": 15000}, Deps: map[string]string{"debug": "2.6.9", "cookie": "0.5.0"}, DeclareUnpacked: true},
	{Name: "express", Version: "5.0.0-beta.1", Files: map[string]int{"package.json": 1300, "index.js": 224}, DeclareUnpacked: true},
	{Name: "debug", Version: "2.6.9", Files: map[string]int{"package.json": 900, "src/index.js": 263, "src/debug.js": 4889}, Deps: map[string]string{"ms": "2.0.0"}},
	{Name: "ms", Version: "2.0.0", Files: map[string]int{"package.json": 700, "index.js": 2764}},
	{Name: "cookie", Version: "0.5.0", Files: map[string]int{"package.json": 800, "index.js": 5000}, DeclareUnpacked: true},
	{Name: "@types/node", Version: "20.10.0", Files: map[string]int{"package.json": 1500, "index.d.ts": 90000, "fs.d.ts": 200000}, DeclareUnpacked: true},
}

func npmTarball(p NpmPackage) []byte {
	files := map[string][]byte{}
	for n, size := range p.Files {
		files[n] = filler(size, p.Name)
	}
	return gz(tarFiles(files, "package/"))
}

func npmUnpacked(p NpmPackage) int64 {
	var n int64
	for _, s := range p.Files {
		n += int64(s)
	}
	return n
}

// npmRegistry adds version documents (name/version.json), packuments
// (name/_doc.json) and tarballs (name/-/name-version.tgz).
func npmRegistry(files map[string][]byte) {
	versions := map[string]map[string]any{}
	latest := map[string]string{}
	for _, p := range NpmPackages {
		base := p.Name
		if i := strings.LastIndex(base, "/"); i >= 0 {
			base = base[i+1:]
		}
		tgzPath := p.Name + "/-/" + base + "-" + p.Version + ".tgz"
		tgz := npmTarball(p)
		files[NpmHost+"/"+tgzPath] = tgz
		dist := map[string]any{"tarball": "http://" + NpmHost + "/" + tgzPath, "shasum": fmt.Sprintf("%x", sum(tgz))[:40]}
		if p.DeclareUnpacked {
			dist["unpackedSize"] = npmUnpacked(p)
			dist["fileCount"] = len(p.Files)
		}
		doc := map[string]any{"name": p.Name, "version": p.Version, "dist": dist}
		if len(p.Deps) > 0 {
			doc["dependencies"] = p.Deps
		}
		b, _ := json.MarshalIndent(doc, "", "  ")
		files[NpmHost+"/"+p.Name+"/"+p.Version+".json"] = b
		if versions[p.Name] == nil {
			versions[p.Name] = map[string]any{}
		}
		versions[p.Name][p.Version] = doc
		if !strings.Contains(p.Version, "-") {
			latest[p.Name] = p.Version
		}
	}
	for name, vs := range versions {
		b, _ := json.MarshalIndent(map[string]any{"name": name, "dist-tags": map[string]string{"latest": latest[name]}, "versions": vs}, "", "  ")
		files[NpmHost+"/"+name+"/_doc.json"] = b
	}
}

// PyPIProject is a release of the fixture Python index.
type PyPIProject struct {
	Name, Version string
	// Wheel is the wheel's file name ("" for a source archive only);
	// Files its files' sizes.
	Wheel    string
	Files    map[string]int
	Requires []string
}

// PyPIProjects is the fixture Python index.
var PyPIProjects = []PyPIProject{
	{Name: "flask", Version: "3.0.0", Wheel: "flask-3.0.0-py3-none-any.whl", Files: map[string]int{"flask/__init__.py": 2300, "flask/app.py": 60000, "flask/templating.py": 7000, "flask-3.0.0.dist-info/METADATA": 3300}, Requires: []string{"Werkzeug>=3.0.0", "itsdangerous>=2.1.2", "asgiref>=3.2 ; extra == 'async'"}},
	{Name: "werkzeug", Version: "3.0.1", Wheel: "werkzeug-3.0.1-py3-none-any.whl", Files: map[string]int{"werkzeug/__init__.py": 200, "werkzeug/serving.py": 39000, "werkzeug/debug/shared/style.css": 6000}, Requires: []string{"MarkupSafe>=2.1.1"}},
	{Name: "itsdangerous", Version: "2.1.2", Wheel: "itsdangerous-2.1.2-py3-none-any.whl", Files: map[string]int{"itsdangerous/__init__.py": 1000, "itsdangerous/signer.py": 9000}},
	{Name: "markupsafe", Version: "2.1.3", Wheel: "MarkupSafe-2.1.3-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", Files: map[string]int{"markupsafe/__init__.py": 10000, "markupsafe/_speedups.cpython-311-x86_64-linux-gnu.so": 45000}},
	{Name: "tinysdist", Version: "0.1", Files: map[string]int{"tinysdist-0.1/setup.py": 400, "tinysdist-0.1/tiny.py": 2000}},
}

func wheel(p PyPIProject) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var names []string
	for n := range p.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: fixedTime})
		w.Write(filler(p.Files[n], n))
	}
	zw.Close()
	return buf.Bytes()
}

// pypiIndex adds the JSON API's documents (pypi/NAME/json and
// pypi/NAME/VERSION/json) and the files they list.
func pypiIndex(files map[string][]byte) {
	for _, p := range PyPIProjects {
		var urls []map[string]any
		if p.Wheel != "" {
			w := wheel(p)
			files[PyPIHost+"/packages/"+p.Wheel] = w
			urls = append(urls, map[string]any{"filename": p.Wheel, "packagetype": "bdist_wheel", "size": len(w), "url": "http://" + PyPIHost + "/packages/" + p.Wheel, "yanked": false})
		}
		sd := gz(tarFiles(func() map[string][]byte {
			m := map[string][]byte{}
			for n, s := range p.Files {
				m[n] = filler(s, n)
			}
			return m
		}(), ""))
		sdName := p.Name + "-" + p.Version + ".tar.gz"
		files[PyPIHost+"/packages/"+sdName] = sd
		urls = append(urls, map[string]any{"filename": sdName, "packagetype": "sdist", "size": len(sd), "url": "http://" + PyPIHost + "/packages/" + sdName, "yanked": false})
		doc := map[string]any{"info": map[string]any{"name": p.Name, "version": p.Version, "requires_dist": p.Requires}, "urls": urls}
		b, _ := json.MarshalIndent(doc, "", "  ")
		files[PyPIHost+"/pypi/"+p.Name+"/json"] = b
		files[PyPIHost+"/pypi/"+p.Name+"/"+p.Version+"/json"] = b
	}
}

// downloads adds files a build downloads (curl, ADD URL).
func downloads(files map[string][]byte) {
	files[FilesHost+"/tool-1.0.tar.gz"] = gz(tarFiles(map[string][]byte{"tool/bin/tool": filler(300000, "tool"), "tool/README": filler(2000, "readme")}, ""))
	files[FilesHost+"/data.bin"] = filler(123456, "data")
}
