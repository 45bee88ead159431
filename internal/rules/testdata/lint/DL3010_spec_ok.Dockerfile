# spec: DL3010 archive never extracted (stage ends), a non-archive, and COPY --from are fine
FROM debian:bookworm-slim AS builder
COPY packaged-app.tar /usr/src/app
FROM debian:bookworm-slim AS newstage
COPY package.json /usr/src/app
COPY --from=builder /usr/local/share/some.tar /opt/some.tar
RUN tar -xf /opt/some.tar
USER nobody
CMD ["true"]
