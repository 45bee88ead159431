FROM alpine:3.20
ARG USERNAME=app
ARG PASSWORD_FILE=/run/secrets/db
ENV TOKENIZER_MODEL=bert
USER nobody
CMD ["true"]
