FROM alpine:3.21
ENV PATH=/opt/tool/bin:$PATH
ENV H=$HOME/.cache
