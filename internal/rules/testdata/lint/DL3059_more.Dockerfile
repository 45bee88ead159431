FROM debian:bookworm-slim
# want "DL3008" "DL3009" "DL3015" "SD403"
RUN apt-get update && apt-get install -y curl
RUN echo one
# Comments between RUNs do not separate them.
# want "DL3059"
RUN echo two
# want "DL3059"
RUN ["echo", "three"]
# want "DL3059"
RUN <<EOF
echo four
EOF
USER nobody
CMD ["true"]
