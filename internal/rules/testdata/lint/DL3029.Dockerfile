ARG ARCH_PLATFORM=linux/arm64
# want "DL3029: FROM --platform=linux/amd64 pins the stage to one platform" `FromPlatformFlagConstDisallowed: FROM --platform flag should not use constant value "linux/amd64"`
FROM --platform=linux/amd64 debian:bookworm-slim AS one
# want `DL3029: FROM --platform=\$ARCH_PLATFORM pins the stage to one platform`
FROM --platform=$ARCH_PLATFORM debian:bookworm-slim AS two
USER nobody
CMD ["true"]
