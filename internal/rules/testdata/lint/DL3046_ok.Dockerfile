FROM debian:bookworm-slim
ARG SMALL_UID=10001
RUN useradd -l -u 123456 app && useradd --no-log-init --uid 2000000 svc && useradd -u "$SMALL_UID" small && useradd -u 99999 other && useradd -u "$UNKNOWN" x
USER app
CMD ["true"]
