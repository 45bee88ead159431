# spec: DL3013 pipenv is not pip
FROM debian:bookworm-slim
RUN pipenv install black
ONBUILD RUN pipenv install black
USER nobody
CMD ["true"]
