FROM debian:bookworm-slim
# Names in arguments or options are not commands.
RUN echo ssh vim top > /tmp/names && grep -e kill /tmp/names && command -v ps || echo "no ps"
USER nobody
CMD ["true"]
