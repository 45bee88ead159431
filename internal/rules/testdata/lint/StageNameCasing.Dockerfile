FROM alpine:3.20 AS base
# want "StageNameCasing: Stage name 'Builder' should be lowercase"
FROM base AS Builder
RUN --mount=type=cache,target=/root/.cache,from=base true

FROM alpine:3.20
COPY --from=Builder /etc/hostname /hostname
