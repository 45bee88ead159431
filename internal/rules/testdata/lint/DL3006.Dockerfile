ARG IMAGE=python
# want "DL3006: base image debian has no tag"
FROM debian AS base
# want "DL3006: base image python"
FROM ${IMAGE} AS py
# A stage defined later is not a stage reference yet.
# want "DL3006: base image later has no tag"
FROM later AS early
# want `DL3006: base image registry\.example\.com:5000/team/tool has no tag`
FROM registry.example.com:5000/team/tool AS tool
FROM alpine:3.20 AS later
USER nobody
CMD ["true"]
