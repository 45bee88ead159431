# spec: DL3047 --progress=..., -q, --quiet, -nv, --no-verbose, --output-file=, -o FILE, --append-output=, -a FILE
FROM debian:bookworm-slim
RUN wget --progress=dot:giga example.org/file.tgz
WORKDIR /
RUN wget -q example.org/file.tgz
WORKDIR /
RUN wget --quiet example.org/file.tgz
WORKDIR /
RUN wget -nv example.org/file.tgz
WORKDIR /
RUN wget --no-verbose example.org/file.tgz
WORKDIR /
RUN wget --output-file=/tmp/wget.log example.org/file.tgz
WORKDIR /
RUN wget -o /tmp/wget.log example.org/file.tgz
WORKDIR /
RUN wget --append-output=/tmp/wget.log example.org/file.tgz
WORKDIR /
RUN wget -a /tmp/wget.log example.org/file.tgz
ONBUILD RUN wget -nv example.org/file.tgz
USER nobody
CMD ["true"]
