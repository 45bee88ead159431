FROM debian:bookworm-slim
RUN wget --progress=dot:giga https://example.com/a && wget -q https://example.com/b && wget -nv https://example.com/c \
 && wget -qO- https://example.com/d > /tmp/d && wget -o /tmp/log https://example.com/e && wget --no-verbose https://example.com/f
USER nobody
CMD ["true"]
