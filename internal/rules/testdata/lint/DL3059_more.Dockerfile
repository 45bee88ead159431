FROM debian:bookworm-slim
# want "DL3008: Pin versions in apt-get install" "DL3009: Delete the apt-get lists after installing something" "DL3015: Avoid additional packages by specifying --no-install-recommends" "SD403: curl is installed in the final image but nothing uses it"
RUN apt-get update && apt-get install -y curl
RUN echo one
# Comments between RUNs do not separate them.
# want "DL3059: RUN follows another RUN"
RUN echo two
# want "DL3059: RUN follows another RUN"
RUN ["echo", "three"]
# want "DL3059: RUN follows another RUN"
RUN <<EOF
echo four
EOF
USER nobody
CMD ["true"]
