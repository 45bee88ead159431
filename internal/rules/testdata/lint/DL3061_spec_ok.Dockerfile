# syntax = docker/dockerfile:1
# spec: DL3061 ARG before FROM, a parser directive before FROM, FROM then LABEL, FROM then ARG then RUN
ARG A=B
FROM debian:bookworm-slim
LABEL foo=bar
ARG C=D
RUN echo bla
USER nobody
CMD ["true"]
