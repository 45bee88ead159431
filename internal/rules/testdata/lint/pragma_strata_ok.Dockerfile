# strata's own pragmas: any rule ID or alias in any case, the same scopes as hadolint's
# strata global ignore=dl3059
# strata stage ignore=DL3004, JSONArgsRecommended # a root toolbox stage
FROM debian:bookworm-slim AS builder
RUN sudo touch /etc/someconfig
RUN echo one
CMD echo build
FROM debian:bookworm-slim
COPY --from=builder /etc/someconfig /etc/someconfig
# strata ignore=DL3004
RUN sudo true
USER nobody
# strata ignore=jsonargsrecommended
CMD echo run
