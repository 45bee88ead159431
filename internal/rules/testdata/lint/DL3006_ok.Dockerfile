ARG PY=3.12
ARG PY_VERSION
ARG GO_IMAGE=golang:1.23
FROM python:${PY}-slim AS py
FROM python:${PY_VERSION:-3.11} AS defaulted
FROM ${GO_IMAGE} AS go
FROM ruby@sha256:2e7ae8d5e7b6e5b6f3c3b0e0c4f7d6a1b2c3d4e5f60718293a4b5c6d7e8f9012 AS pinned
FROM scratch AS empty
FROM py AS child
FROM registry.example.com:5000/team/tool:1.2 AS tool
USER nobody
CMD ["true"]
