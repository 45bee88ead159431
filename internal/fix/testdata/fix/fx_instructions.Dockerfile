FROM --platform=$TARGETPLATFORM alpine:3.20
MAINTAINER someone@example.com
WORKDIR /data
# COPY with several sources wants a directory as destination.
COPY a.txt b.txt /data
RUN echo one && \

    echo two
HEALTHCHECK CMD ["true"]
HEALTHCHECK --interval=5s CMD ["test", "-f", "/data/a.txt"]
ENTRYPOINT ["/bin/sh"]
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["one"]
CMD ["echo two"]
