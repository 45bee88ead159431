FROM debian:bookworm-slim
USER root
RUN echo setup
USER 1000:1000
CMD ["true"]
