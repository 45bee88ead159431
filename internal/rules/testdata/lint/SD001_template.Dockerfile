# A Go template rendered into Dockerfiles: its RUN is not shell yet.
FROM debian:bookworm-slim
RUN {{ if .alpine }}apk add --no-cache bash{{ else }}echo debian{{ end }}
USER nobody
CMD ["{{ .command }}"]
