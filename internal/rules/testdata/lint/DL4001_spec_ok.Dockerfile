# spec: DL4001 only wget; wget and curl in different stages
FROM debian:bookworm-slim AS foo
RUN wget -nv example.org/file.tgz
FROM debian:bookworm-slim
RUN curl localhost
USER nobody
CMD ["true"]
