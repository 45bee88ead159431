# a strata line pragma covers the next line only; a stage pragma the stage right below it
# strata stage ignore=DL3004
# the builder stage
FROM debian:bookworm-slim AS builder
# want "DL3004"
RUN sudo touch /etc/someconfig
FROM debian:bookworm-slim
COPY --from=builder /etc/someconfig /etc/someconfig
# want "DL3004"
# strata ignore=DL3004
# a comment between the pragma and the RUN detaches it
RUN sudo true
WORKDIR /
# strata ignore=DL3004;DL3003 is not a list: no pragma
# want "DL3004"
RUN sudo true
USER nobody
CMD ["true"]
