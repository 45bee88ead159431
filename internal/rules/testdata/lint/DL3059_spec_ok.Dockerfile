# spec: DL3059 one RUN, RUNs separated by another instruction, different --mount flags, chained commands (&& or ;) on either side
FROM debian:bookworm-slim
# a comment
RUN /foo.sh
WORKDIR /
RUN /bar.sh
WORKDIR /
RUN --mount=type=secret,id=foo /foo.sh
RUN /bar.sh
WORKDIR /
RUN --mount=type=secret,id=foo /foo.sh
RUN --mount=type=secret,id=bar /bar.sh
WORKDIR /
RUN foo && bar
RUN widget
WORKDIR /
RUN foo; bar
RUN widget
WORKDIR /
RUN widget
RUN foo && bar
WORKDIR /
RUN widget
RUN foo; bar
WORKDIR /
RUN foo && bar
RUN foo; bar
USER nobody
CMD ["true"]
