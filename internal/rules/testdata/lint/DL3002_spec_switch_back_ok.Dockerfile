# spec: DL3002 root then back to non-root is fine
FROM scratch
USER root
RUN echo step
USER foo
