# spec: DL4006 a piped RUN before any FROM (default shell) is reported
# target: DL4006
# want "DL4006" "DL3061"
RUN wget -nv -O - https://example.org/data | wc -l > /tmp/count
