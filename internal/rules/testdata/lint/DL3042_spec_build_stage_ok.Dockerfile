# spec: DL3042 has no stage logic in hadolint: a build stage only read by COPY --from is reported too
# deviation: strata leaves out build stages nothing ships from: their cache never reaches an
# image (strata explain DL3042)
FROM python:3.12-slim AS build
RUN pip install six==1.16.0
FROM debian:bookworm-slim
COPY --from=build /etc/hostname /tmp/x
USER nobody
CMD ["true"]
