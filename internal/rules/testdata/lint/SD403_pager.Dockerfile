FROM python:3.12-alpine
# aws shows its help through less and groff.
RUN apk add --no-cache less=643-r2 groff=1.23.0-r1 \
 && pip install --no-cache-dir awscli==1.33.0
USER nobody
ENTRYPOINT ["aws"]
