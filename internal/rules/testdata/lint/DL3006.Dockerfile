ARG IMAGE=python
# want "DL3006"
FROM debian AS base
# want "DL3006"
FROM ${IMAGE} AS py
# A stage defined later is not a stage reference yet.
# want "DL3006"
FROM later AS early
# want "DL3006"
FROM registry.example.com:5000/team/tool AS tool
FROM alpine:3.20 AS later
USER nobody
CMD ["true"]
