# source: DL3048 keys must be lower-case: first char a-z, last char a-z or 0-9, only a-z 0-9 . - in between; upper case and _ are invalid
FROM debian:bookworm-slim
# want "DL3048"
LABEL Maintainer="x"
# want "DL3048"
LABEL org.example.build_date="x"
# want "DL3048"
LABEL org.example.label-="x"
# want "DL3048"
LABEL org.example.label.="x"
USER nobody
CMD ["true"]
