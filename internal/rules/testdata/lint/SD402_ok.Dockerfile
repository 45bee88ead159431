# A builder stage may clean up late: it does not ship.
FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates=20230311
RUN rm -rf /var/lib/apt/lists/*

FROM python:3.12-alpine
COPY --from=build /etc/ssl/certs /etc/ssl/certs
RUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20240309-r0 musl-dev=1.2.5-r0 \
 && pip install --no-cache-dir psutil==5.9.8 \
 && apk del .build-deps
USER nobody
CMD ["true"]
