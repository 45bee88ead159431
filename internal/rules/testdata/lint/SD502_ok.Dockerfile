FROM debian:bookworm-slim
# Certificates and variable references are not secrets.
COPY ca-cert.pem /usr/local/share/ca-certificates/
COPY id_rsa.pub /etc/keys/
ENV REPO_URL=https://github.com/acme/lib.git
# want `UndefinedVar: '\$PROXY_USER'` `UndefinedVar: '\$PROXY_PASS'`
ENV PROXY=http://${PROXY_USER}:${PROXY_PASS}@proxy:3128
ARG GIT_REF=main
RUN --mount=type=secret,id=token,env=GH_TOKEN echo uses a secret mount
USER nobody
CMD ["true"]
