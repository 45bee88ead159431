FROM debian:bookworm-slim
RUN wget -q https://example.com/a
WORKDIR /tmp
# want "DL4001: Either use wget or curl but not both"
RUN curl -fsSLO https://example.com/b
WORKDIR /
# want "DL4001: Either use wget or curl but not both"
RUN wget -q https://example.com/c
USER nobody
CMD ["true"]
