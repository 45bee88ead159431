package lint

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// corpus generates n varied Dockerfiles, deterministically: different
// bases, package managers, stage layouts, heredocs, ONBUILD triggers,
// escape directives and line continuations, so benchmarks and fuzz seeds
// exercise every rule family.
func corpus(n int) [][]byte {
	rng := rand.New(rand.NewPCG(42, 7))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	out := make([][]byte, 0, n)
	for i := 0; i < n; i++ {
		var b strings.Builder
		if i%17 == 0 {
			b.WriteString("# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended\n")
		}
		if i%5 == 0 {
			fmt.Fprintf(&b, "ARG BASE_TAG=%s\n", pick("3.12-slim", "bookworm", "22.04", "18-alpine"))
		}
		stages := 1 + rng.IntN(3)
		for s := 0; s < stages; s++ {
			final := s == stages-1
			base := pick("debian:bookworm", "ubuntu:22.04", "python:3.11", "node:18", "golang:1.22",
				"alpine:3.19", "python:${BASE_TAG}", "centos:7", "fedora", "opensuse/leap:15.5", "eclipse-temurin:17-jdk")
			if final && stages > 1 {
				base = pick("debian:bookworm-slim", "alpine:3.19", "gcr.io/distroless/static-debian12", "scratch", "build0")
			}
			if !strings.Contains(base, "$") || i%5 == 0 {
				fmt.Fprintf(&b, "FROM %s AS build%d\n", base, s)
			} else {
				fmt.Fprintf(&b, "FROM %s AS build%d\n", "debian:bookworm", s)
			}
			steps := 3 + rng.IntN(12)
			for k := 0; k < steps; k++ {
				writeStep(&b, rng, pick, base, s, i+k)
			}
			if s > 0 {
				fmt.Fprintf(&b, "COPY --from=build%d /out /out\n", s-1)
			}
			if final {
				b.WriteString(pick("USER nobody\n", "USER root\n", "", "USER 1000:1000\n"))
				b.WriteString(pick("EXPOSE 8080\n", "EXPOSE 80/tcp 443\n", ""))
				b.WriteString(pick("CMD [\"python3\", \"app.py\"]\n", "CMD python3 app.py\n",
					"ENTRYPOINT [\"/app\"]\n", "CMD node server.js\n", "HEALTHCHECK CMD curl -f http://localhost/ || exit 1\nCMD [\"/srv\"]\n"))
			}
		}
		out = append(out, []byte(b.String()))
	}
	return out
}

func writeStep(b *strings.Builder, rng *rand.Rand, pick func(...string) string, base string, stage, seed int) {
	switch rng.IntN(16) {
	case 0:
		b.WriteString("RUN apt-get update\n")
	case 1:
		fmt.Fprintf(b, "RUN apt-get update && apt-get install -y %s \\\n    && rm -rf /var/lib/apt/lists/*\n",
			pick("curl", "curl=7.88.1-10 ca-certificates", "--no-install-recommends git", "build-essential python3-dev"))
	case 2:
		fmt.Fprintf(b, "RUN apk add %s\n", pick("curl", "--no-cache curl=8.5.0-r0", "--virtual .build-deps gcc musl-dev"))
	case 3:
		fmt.Fprintf(b, "RUN pip install %s\n", pick("flask", "--no-cache-dir flask==3.0.0", "-r requirements.txt", "requests gunicorn"))
	case 4:
		fmt.Fprintf(b, "COPY %s\n", pick(". /app", "requirements.txt /app/", "package*.json ./", "--chown=app:app src/ /app/src/"))
	case 5:
		fmt.Fprintf(b, "WORKDIR %s\n", pick("/app", "app", "/srv/www"))
	case 6:
		fmt.Fprintf(b, "RUN %s\n", pick("npm install", "npm ci && npm cache clean --force", "yarn install", "go build -o /out ./...", "mvn package"))
	case 7:
		fmt.Fprintf(b, "ENV %s\n", pick("A=1 B=2", "PATH=/app/bin:$PATH", "SECRET_KEY=abc", "LANG C.UTF-8"))
	case 8:
		b.WriteString("RUN <<EOF\nset -e\napt-get update\napt-get install -y --no-install-recommends jq\nrm -rf /var/lib/apt/lists/*\nEOF\n")
	case 9:
		fmt.Fprintf(b, "RUN cd /tmp && wget -q https://example.com/x%d.tgz | tar xz\n", seed)
	case 10:
		fmt.Fprintf(b, "ADD %s\n", pick("app.tar.gz /srv/", "https://example.com/f /f", "conf /etc/conf"))
	case 11:
		fmt.Fprintf(b, "ONBUILD %s\n", pick("COPY . /app", "RUN npm install"))
	case 12:
		fmt.Fprintf(b, "RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y %s\n", pick("gcc", "make"))
	case 13:
		fmt.Fprintf(b, "LABEL maintainer=\"dev%d@example.com\" version=\"1.%d\"\n", seed, stage)
	case 14:
		b.WriteString("RUN yum install -y httpd && yum clean all\n")
	default:
		fmt.Fprintf(b, "RUN echo step %d > /tmp/s%d\n", seed, stage)
	}
	_ = base
}
