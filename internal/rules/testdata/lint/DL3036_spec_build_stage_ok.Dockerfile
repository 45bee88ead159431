# spec: DL3036 has no stage logic in hadolint: a build stage only read by COPY --from is reported too
# deviation: strata leaves out build stages nothing ships from: their cache never reaches an
# image (strata explain DL3036)
FROM opensuse/leap:15.6 AS build
RUN zypper install -y postgresql=10.4
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
