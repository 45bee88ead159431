# spec: DL3046 useradd alone, short UID, long UID with -l, -l alone
FROM debian:bookworm-slim
RUN useradd appuser
WORKDIR /
RUN useradd -u 12345 appuser
WORKDIR /
RUN useradd -l -u 123456 appuser
WORKDIR /
RUN useradd -l appuser
USER appuser
CMD ["true"]
