# hadolint shell=powershell # widget
# spec: "# hadolint shell=powershell # widget" is a shell pragma, not an ignore pragma: DL1001 does not fire
# enable: DL1001
# target: DL1001
FROM debian:bookworm-slim
USER nobody
CMD ["true"]
