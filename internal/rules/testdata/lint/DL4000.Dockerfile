FROM alpine:3.20
# want "DL4000: MAINTAINER is deprecated"
MAINTAINER Jane Doe <jane@example.com>
USER nobody
CMD ["true"]
