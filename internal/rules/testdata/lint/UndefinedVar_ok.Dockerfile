ARG VERSION=1.2
ARG PYTHON_VERSION=3.12
FROM python:${PYTHON_VERSION}-slim AS base
ARG VERSION
ENV APP=/srv/app-$VERSION
ARG A=1 B=$A
COPY app /opt/$A/$B/
WORKDIR $APP
# The base image's environment is unknown: it may set these.
ENV P=$PYTHON_VERSION G=$GPG_KEY
COPY <<'EOF' /etc/motd
literal $NAME
EOF

FROM base
COPY app $APP/
RUN echo "$SHELL_EXPANDS_THIS"
CMD ["echo", "$NOT_EXPANDED"]

FROM scratch
ARG TARGETARCH
COPY bin/$TARGETARCH /app
ARG NOVALUE
COPY $NOVALUE/x /x
