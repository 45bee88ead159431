# No CMD or ENTRYPOINT: a base image, whose children choose the user.
FROM debian:bookworm-slim
RUN mkdir -p /opt/tools
