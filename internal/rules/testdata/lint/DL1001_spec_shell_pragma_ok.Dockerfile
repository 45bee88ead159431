# spec: DL1001 does not fire on "# hadolint shell=" nor on an ordinary comment
# enable: DL1001
# hadolint shell=powershell
FROM debian:bookworm-slim
# widget
RUN echo hi
USER nobody
CMD ["true"]
