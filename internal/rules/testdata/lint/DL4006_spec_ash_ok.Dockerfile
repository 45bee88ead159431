# source: DL4006 ash -o pipefail counts (bash, zsh and ash are the shells whose -o pipefail is accepted)
FROM alpine:3.20
SHELL ["/bin/ash", "-o", "pipefail", "-c"]
RUN wget -q -O - https://example.org/data | wc -l > /tmp/count
USER nobody
CMD ["true"]
