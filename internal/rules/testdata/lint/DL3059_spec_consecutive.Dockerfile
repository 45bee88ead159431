# spec: DL3059 two consecutive single-command RUNs (comments in between do not separate); same --mount flags; third single-command RUN after a chained one
FROM debian:bookworm-slim
RUN /foo.sh
# want "DL3059"
RUN /bar.sh
WORKDIR /
RUN /foo.sh
# a comment
# want "DL3059"
RUN /bar.sh
WORKDIR /
RUN /foo.sh
# a comment
# another comment
# want "DL3059"
RUN /bar.sh
WORKDIR /
RUN --mount=type=secret,id=foo /foo.sh
# want "DL3059"
RUN --mount=type=secret,id=foo /bar.sh
WORKDIR /
RUN foo && bar
RUN foo
# want "DL3059"
RUN bar
USER nobody
CMD ["true"]
