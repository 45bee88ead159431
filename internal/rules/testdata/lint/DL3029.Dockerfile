ARG ARCH_PLATFORM=linux/arm64
# want "DL3029" "FromPlatformFlagConstDisallowed"
FROM --platform=linux/amd64 debian:bookworm-slim AS one
# want "DL3029"
FROM --platform=$ARCH_PLATFORM debian:bookworm-slim AS two
USER nobody
CMD ["true"]
