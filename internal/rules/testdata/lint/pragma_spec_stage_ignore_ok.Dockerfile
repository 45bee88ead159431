# spec: (hadolint 2.15, PR 1195) "# hadolint stage ignore=DL3011" directly above a FROM silences the rule for that stage only
# target: DL3011
FROM debian:bookworm-slim AS one
# want "DL3011"
EXPOSE 80000

# hadolint stage ignore=DL3011
FROM debian:bookworm-slim AS two
EXPOSE 80000

FROM debian:bookworm-slim
# want "DL3011"
EXPOSE 80000
HEALTHCHECK CMD ["true"]
USER nobody
CMD ["true"]
