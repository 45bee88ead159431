# spec: DL3048 valid keys
FROM debian:bookworm-slim
LABEL org.valid-key.label3="foo"
LABEL validlabel="foo"
ONBUILD LABEL org.valid-key.label3="foo"
USER nobody
CMD ["true"]
