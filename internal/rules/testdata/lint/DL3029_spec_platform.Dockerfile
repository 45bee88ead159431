# spec: DL3029 FROM --platform with a constant value (BuildKit's FromPlatformFlagConstDisallowed is the same finding)
# want "DL3029" "FromPlatformFlagConstDisallowed"
FROM --platform=linux debian:bookworm-slim
USER nobody
CMD ["true"]
