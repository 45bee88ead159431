FROM alpine:3.20 AS build
RUN mkdir /out && echo apk > /out/app-release.apk

# An export stage for docker build --output: never run.
FROM scratch
COPY --from=build /out/app-release.apk /app-release.apk
ENTRYPOINT ["/app-release.apk"]
