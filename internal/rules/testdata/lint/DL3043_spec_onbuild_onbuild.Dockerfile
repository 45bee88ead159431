# spec: DL3043 ONBUILD ONBUILD
FROM debian:bookworm-slim
# want "DL3043"
ONBUILD ONBUILD RUN anything
USER nobody
CMD ["true"]
