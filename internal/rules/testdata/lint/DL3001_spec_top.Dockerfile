# spec: DL3001 fires on a RUN that runs top (also inside ONBUILD)
FROM debian:bookworm-slim
# want "DL3001"
RUN top
# want "DL3001"
ONBUILD RUN top
USER nobody
CMD ["true"]
