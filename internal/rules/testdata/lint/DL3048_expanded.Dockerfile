# a label key holding a variable is judged as BuildKit expands it
FROM debian:bookworm-slim
ARG VENDOR=com.example
ARG BAD=Com_Example
LABEL ${VENDOR}.version="1.0"
# want "DL3048: once expanded"
LABEL ${BAD}.version="1.0"
# a value nobody knows: not judged
# want "UndefinedVar"
LABEL ${UNKNOWN_PREFIX}.version="1.0"
USER nobody
CMD ["true"]
