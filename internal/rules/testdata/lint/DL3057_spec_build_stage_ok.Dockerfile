# source: DL3057 hadolint reports every stage no HEALTHCHECK covers, a build stage used only by COPY --from included
# deviation: strata checks the image the build produces (the final stage and the stages it
# is built FROM); a build stage is never run as a service (strata explain DL3057)
# enable: DL3057
FROM debian:bookworm-slim AS build
RUN echo built > /out
FROM debian:bookworm-slim
COPY --from=build /out /out
HEALTHCHECK CMD ["true"]
USER nobody
CMD ["true"]
