# A Dockerfile template (Go text/template placeholders). The lines the
# {{ }} blocks break out of a RUN's continuation are parsed as
# instructions whose "keyword" is a shell word; the casing fix must leave
# them alone and only re-case the real instruction.
FROM debian:{{ .debian.suite }}-slim

RUN set -eux; \
{{ if env.variant == "alpine" then ( -}}
	apk add --no-cache --virtual .fetch-deps curl; \
{{ ) else ( -}}
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
{{ ) end -}}
	true

run echo done
CMD ["sh"]
