# want "DL3063"
FROM alpine:3.20 AS scratch
# want "DL3063"
FROM alpine:3.20 AS context
USER nobody
CMD ["true"]
