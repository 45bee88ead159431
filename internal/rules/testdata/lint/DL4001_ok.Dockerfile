FROM debian:bookworm-slim AS a
RUN wget -q https://example.com/a
# Each stage is judged on its own.
FROM debian:bookworm-slim
RUN curl -fsSLO https://example.com/b && echo wget
USER nobody
CMD ["true"]
