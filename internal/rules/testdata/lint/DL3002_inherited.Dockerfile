FROM debian:bookworm-slim AS base
# The final stage sets no USER: it inherits root from base.
# want "DL3002: USER root is the last USER of the image"
USER root
RUN echo setup > /etc/app.conf

FROM base
CMD ["cat", "/etc/app.conf"]
