# check=skip=StageNameCasing,FromAsCasing;error=false
FROM alpine:3.20 as Builder
FROM alpine:3.20
COPY --from=Builder /etc/hostname /a
# Only the listed checks are skipped.
# want "ExposeProtoCasing: Defined protocol '80/TCP' in EXPOSE instruction should be lowercase"
EXPOSE 80/TCP
