package lsp

import (
	"fmt"
	"strings"
)

// bigDockerfile returns a Dockerfile of n lines (n >= 40) in the shape of
// real multi-stage files: build stages that install packages with long
// continued RUNs, copy sources, set ENV and ARG, and a runtime stage.
// Every stage has findings of several rule families.
func bigDockerfile(n int) string {
	var b strings.Builder
	lines := 0
	w := func(format string, args ...any) {
		fmt.Fprintf(&b, format+"\n", args...)
		lines++
	}
	w("# syntax=docker/dockerfile:1")
	w("ARG BASE=debian:bookworm")
	const stageLines, finalLines = 22, 7
	for st := 0; lines+stageLines+finalLines <= n; st++ {
		w("")
		as := "AS"
		if st%3 == 2 {
			as = "as" // BuildKit's FromAsCasing
		}
		w("FROM ${BASE} %s build%d", as, st)
		w("ARG VERSION_%d=1.%d.0", st, st)
		w("ENV APP_HOME=/opt/app%d PATH=/opt/app%d/bin:$PATH", st, st)
		w("WORKDIR /opt/app%d", st)
		w("RUN apt-get update && apt-get install -y \\")
		for i := 0; i < 8; i++ {
			w("    package-%d-%d \\", st, i)
		}
		w("    curl ca-certificates")
		w("RUN cd /opt/app%d && curl -fsSL https://example.com/tool-$VERSION_%d.tar.gz | tar -xz", st, st)
		w("COPY requirements-%d.txt ./", st)
		w("RUN pip install -r requirements-%d.txt", st)
		w("COPY . /opt/app%d/src", st)
		w("RUN echo $HOME/$name && make -C src build-%d", st)
		w("ADD config-%d.json /etc/app%d/", st, st)
		w("EXPOSE %d", 8000+st)
		w("LABEL stage=\"build%d\" maintainer=\"team@example.com\"", st)
	}
	for i := 0; lines+finalLines < n; i++ {
		w("LABEL pad.%d=\"x\"", i)
	}
	w("")
	w("FROM debian:bookworm-slim")
	w("RUN useradd -r app")
	w("COPY --from=build0 /opt/app0 /opt/app0")
	w("USER app")
	w("HEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1")
	w("CMD python /opt/app0/src/main.py")
	return b.String()
}
