FROM debian:bookworm-slim
# want "DL3046: useradd without flag -l and high UID 123456 will result in excessively large image"
RUN useradd -u 123456 app
ARG APP_UID=1000000
# want "DL3046: useradd without flag -l and high UID 1000000 will result in excessively large image"
RUN useradd --uid "${APP_UID}" --create-home svc
# want "DL3046: ONBUILD useradd without flag -l and high UID 2000000 will result in excessively large"
ONBUILD RUN useradd -m -u 2000000 other
USER app
CMD ["true"]
