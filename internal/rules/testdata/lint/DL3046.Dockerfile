FROM debian:bookworm-slim
# want "DL3046"
RUN useradd -u 123456 app
ARG APP_UID=1000000
# want "DL3046"
RUN useradd --uid "${APP_UID}" --create-home svc
# want "DL3046"
ONBUILD RUN useradd -m -u 2000000 other
USER app
CMD ["true"]
