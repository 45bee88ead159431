# spec: DL3047 wget without --progress, -q/--quiet, -nv/--no-verbose, -o/--output-file, -a/--append-output (also ONBUILD)
FROM debian:bookworm-slim
# want "DL3047"
RUN wget example.org/file.tgz
# want "DL3047"
ONBUILD RUN wget example.org/file.tgz
USER nobody
CMD ["true"]
