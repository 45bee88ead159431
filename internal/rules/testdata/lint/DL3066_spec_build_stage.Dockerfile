# spec: DL3066 hadolint reports every non-numeric USER, in any stage
# deviation: strata reports the USER the produced image runs as only; the build stage's USER
# is never a container's (strata explain DL3066)
# enable: DL3066
FROM debian:bookworm-slim AS build
USER widget
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
# want "DL3066"
USER nobody
CMD ["true"]
