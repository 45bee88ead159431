# want `FromPlatformFlagConstDisallowed: FROM --platform flag should not use constant value "linux/amd64"` "DL3029: FROM --platform=linux/amd64 pins the stage to one platform"
FROM --platform=linux/amd64 alpine:3.20 AS base
# want `FromPlatformFlagConstDisallowed: FROM --platform flag should not use constant value "arm64"` "DL3029: FROM --platform=arm64 pins the stage to one platform"
FROM --platform=arm64 alpine:3.20
COPY --from=base /etc/hostname /a
