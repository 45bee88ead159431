# spec: DL3002 USER foo is fine
FROM scratch
USER foo
