# spec: DL3003 RUN cd
FROM debian:bookworm-slim
# want "DL3003"
RUN cd /opt
USER nobody
CMD ["true"]
