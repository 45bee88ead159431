# spec: DL3065 no --platform, another variable, a constant (variables other than BUILDPLATFORM/TARGETPLATFORM and constants are DL3029's business)
ARG WIDGET=linux/amd64
FROM alpine:3.20 AS a
# want "DL3029"
FROM --platform=$WIDGET alpine:3.20 AS b
# want "DL3029" "DL1000"
FROM --platform=widget alpine:3.20 AS c
# want "DL3029" "FromPlatformFlagConstDisallowed"
FROM --platform=widget/arm64 alpine:3.20 AS d
FROM alpine:3.20
USER nobody
CMD ["true"]
