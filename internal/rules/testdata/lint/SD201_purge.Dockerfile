FROM debian:bookworm-slim
# The update shares the RUN with a purge: not a lone update (the lists
# left behind are DL3009's finding).
# want "DL3009: Delete the apt-get lists after installing something"
RUN apt-get update && apt-get purge -y --auto-remove imagemagick
USER nobody
CMD ["true"]
