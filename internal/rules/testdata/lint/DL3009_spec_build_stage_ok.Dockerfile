# spec: DL3009 stage logic: a build stage only read by COPY --from is not reported
FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends libxml2=2.9.14
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
