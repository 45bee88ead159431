# want `DL3063: stage name "scratch" is reserved`
FROM alpine:3.20 AS scratch
# want `DL3063: stage name "context" is reserved`
FROM alpine:3.20 AS context
USER nobody
CMD ["true"]
