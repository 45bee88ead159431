# spec: DL3045 COPY to a relative destination without WORKDIR (quoted or not, single-character paths, also ONBUILD COPY)
FROM debian:bookworm-slim
# want "DL3045"
COPY app.sh data.sh
# want "DL3045"
COPY app.sh "data.sh"
# want "DL3045"
COPY a b
# want "DL3045"
ONBUILD COPY app.sh data.sh
USER nobody
CMD ["true"]
