# want "FromPlatformFlagConstDisallowed" "DL3029"
FROM --platform=linux/amd64 alpine:3.20 AS base
# want "FromPlatformFlagConstDisallowed" "DL3029"
FROM --platform=arm64 alpine:3.20
COPY --from=base /etc/hostname /a
