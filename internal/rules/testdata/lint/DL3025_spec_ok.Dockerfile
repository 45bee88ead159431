# spec: DL3025 JSON notation, with or without inner spaces, and split over continuation lines
FROM debian:bookworm-slim AS build
ENTRYPOINT ["foo", "bar"]
CMD ["foo", "bar"]
FROM debian:bookworm-slim
USER nobody
CMD [ "/bin/sh", "-c", \
      "echo foo && \
       echo bar" \
    ]
