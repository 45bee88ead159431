# check=skip=StageNameCasing,FromAsCasing;error=false
FROM alpine:3.20 as Builder
FROM alpine:3.20
COPY --from=Builder /etc/hostname /a
# Only the listed checks are skipped.
# want "ExposeProtoCasing"
EXPOSE 80/TCP
