package intent

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// ComposeService is a service of a Compose file that builds this
// Dockerfile.
type ComposeService struct {
	// File is the Compose file's path and Name the service's name.
	File, Name string
	// Healthcheck is the service's healthcheck test, joined ("" when it
	// has none); Command and Entrypoint likewise.
	Healthcheck, Command, Entrypoint string
	// HealthcheckSet is true when the service defines a healthcheck
	// (disable: true included).
	HealthcheckSet bool
	// Init is true when the service sets init: true.
	Init bool
}

var composeNames = []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}

// Compose returns the services of Compose files in the build context or
// up to two folders above it that build the analysed Dockerfile.
func (img *Image) Compose() []ComposeService {
	if img.compose != nil || !img.ctx.known() {
		return img.compose
	}
	img.compose = []ComposeService{}
	ctxAbs, err := filepath.Abs(img.ctx.dir)
	if err != nil {
		return img.compose
	}
	dfAbs, _ := filepath.Abs(img.in.File.Path)
	dir := ctxAbs
	for range 3 {
		for _, n := range composeNames {
			p := filepath.Join(dir, n)
			if cf := img.in.Compose.read(p); cf != nil {
				img.compose = append(img.compose, composeServices(cf, p, ctxAbs, dfAbs)...)
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return img.compose
}

// ComposeHealthchecks returns the healthcheck tests of every service of
// the Compose files at the top of the build context, whether or not they
// build this Dockerfile (a service may run the image the project
// publishes from it).
func (img *Image) ComposeHealthchecks() []string {
	if !img.ctx.known() {
		return nil
	}
	var out []string
	for _, n := range composeNames {
		cf := img.in.Compose.read(filepath.Join(img.ctx.dir, n))
		if cf == nil {
			continue
		}
		for _, s := range cf.Services {
			if s.Healthcheck != nil && !s.Healthcheck.Disable {
				out = append(out, nodeText(s.Healthcheck.Test))
			}
		}
	}
	return out
}

// ComposeFiles reads each Compose file the Dockerfiles of one run look
// for once: the folders above many build contexts hold the same ones (or
// none, which is as many failed opens), and a monorepo's Compose file
// names the services of many of its Dockerfiles. The files are taken not
// to change during the run. The zero value is ready to use; nil reads
// every time. It is safe for concurrent use.
type ComposeFiles struct {
	mu    sync.Mutex
	files map[string]*composeFile // by path; nil: none, or not a Compose file
}

// read returns the Compose file at path, nil when there is none or it
// cannot be parsed. What it returns is shared: it must not be changed.
func (c *ComposeFiles) read(path string) *composeFile {
	if c == nil {
		return readComposeFile(path)
	}
	c.mu.Lock()
	cf, ok := c.files[path]
	c.mu.Unlock()
	if ok {
		return cf
	}
	cf = readComposeFile(path)
	c.mu.Lock()
	if c.files == nil {
		c.files = map[string]*composeFile{}
	}
	c.files[path] = cf
	c.mu.Unlock()
	return cf
}

// readComposeFile parses the Compose file at path (its first MiB), nil
// when there is none or it cannot be parsed.
func readComposeFile(path string) *composeFile {
	fh, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, 1<<20))
	if err != nil {
		return nil
	}
	var cf composeFile
	if yaml.Unmarshal(data, &cf) != nil {
		return nil
	}
	return &cf
}

// composeFile is the part of a Compose file strata reads.
type composeFile struct {
	Services map[string]struct {
		Build       yaml.Node `yaml:"build"`
		Healthcheck *struct {
			Test    yaml.Node `yaml:"test"`
			Disable bool      `yaml:"disable"`
		} `yaml:"healthcheck"`
		Command    yaml.Node `yaml:"command"`
		Entrypoint yaml.Node `yaml:"entrypoint"`
		Init       bool      `yaml:"init"`
		Image      string    `yaml:"image"`
	} `yaml:"services"`
}

// composeServices returns the services of cf, the Compose file at file,
// that build the Dockerfile dfAbs in the context ctxAbs.
func composeServices(cf *composeFile, file, ctxAbs, dfAbs string) []ComposeService {
	base := filepath.Dir(file)
	var out []ComposeService
	for name, s := range cf.Services {
		ctx, df := "", ""
		switch s.Build.Kind {
		case yaml.ScalarNode:
			ctx = s.Build.Value
		case yaml.MappingNode:
			for i := 0; i+1 < len(s.Build.Content); i += 2 {
				switch s.Build.Content[i].Value {
				case "context":
					ctx = s.Build.Content[i+1].Value
				case "dockerfile":
					df = s.Build.Content[i+1].Value
				}
			}
			if ctx == "" {
				ctx = "."
			}
		default:
			// No build: a service that runs the image this project
			// publishes (its name is the project's) counts when its
			// Compose file is at the top of the context.
			if base != ctxAbs || !publishedHere(s.Image, ctxAbs) {
				continue
			}
			ctx, df = ".", ""
		}
		if strings.Contains(ctx, "://") || strings.Contains(ctx, "$") {
			continue
		}
		c := filepath.Clean(filepath.Join(base, ctx))
		if c != ctxAbs {
			continue
		}
		if df == "" {
			df = filepath.Base(dfAbs)
			if s.Build.Kind != 0 {
				df = "Dockerfile"
			}
		}
		if !filepath.IsAbs(df) {
			df = filepath.Join(c, df)
		}
		if filepath.Clean(df) != filepath.Clean(dfAbs) {
			continue
		}
		cs := ComposeService{File: file, Name: name, Command: nodeText(s.Command), Entrypoint: nodeText(s.Entrypoint), Init: s.Init}
		if s.Healthcheck != nil {
			cs.HealthcheckSet = true
			if !s.Healthcheck.Disable {
				cs.Healthcheck = nodeText(s.Healthcheck.Test)
			}
		}
		out = append(out, cs)
	}
	return out
}

// nodeText joins a Compose string or list value.
func nodeText(n yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Value
	case yaml.SequenceNode:
		var parts []string
		for _, c := range n.Content {
			parts = append(parts, c.Value)
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// publishedHere reports whether an image reference names the project in
// dir: its repository's last element is the folder's name (or the end of
// it, for a checkout named owner__project).
func publishedHere(image, dir string) bool {
	ref := image
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		ref = ref[i+1:]
	}
	ref, _, _ = strings.Cut(ref, ":")
	ref, _, _ = strings.Cut(ref, "@")
	d := strings.ToLower(filepath.Base(dir))
	ref = strings.ToLower(ref)
	return ref != "" && (d == ref || strings.HasSuffix(d, "_"+ref) || strings.HasSuffix(d, "-"+ref))
}
