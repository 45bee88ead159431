# spec: DL4001 wget and curl in one stage: every RUN using either tool once both have been seen is reported
FROM debian:bookworm-slim
RUN wget -nv example.org/file.tgz
WORKDIR /
# want "DL4001"
RUN curl localhost
WORKDIR /
RUN echo hello
WORKDIR /
# want "DL4001"
RUN wget -nv foo.com
FROM debian:bookworm-slim AS two
# want "DL4001"
RUN wget -nv example.org/file.tgz && curl localhost
USER nobody
CMD ["true"]
