# spec: DL3002 hadolint reports every stage whose last USER is root, a build stage too
# deviation: strata judges the user of the image the build produces only: the build stage
# below is never run as a container, the final image runs as foo (strata explain DL3002)
FROM debian:bookworm-slim AS base
USER root
RUN echo step
FROM scratch
USER foo
RUN echo done
