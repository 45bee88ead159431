package intent

import (
	"io"
	"os"
	"path/filepath"
	"strings"

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
			img.compose = append(img.compose, composeServices(p, ctxAbs, dfAbs)...)
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
		fh, err := os.Open(filepath.Join(img.ctx.dir, n))
		if err != nil {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(fh, 1<<20))
		fh.Close()
		if err != nil {
			continue
		}
		var cf composeFile
		if yaml.Unmarshal(data, &cf) != nil {
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

// composeServices reads the services of one Compose file that build the
// Dockerfile dfAbs in the context ctxAbs.
func composeServices(file, ctxAbs, dfAbs string) []ComposeService {
	fh, err := os.Open(file)
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
