# spec: (README) ShellCheck codes can be ignored like DL codes: "# hadolint ignore=SC2086"
# target: SC2086
FROM debian:bookworm-slim
# hadolint ignore=SC2086
RUN echo $HOME
USER nobody
CMD ["true"]
