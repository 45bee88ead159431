# want "DL3064"
ARG GITHUB_TOKEN
FROM alpine:3.20
# want "DL3064" "SecretsUsedInArgOrEnv"
ARG NPM_AUTH_TOKEN
# want "DL3064" "SecretsUsedInArgOrEnv"
ENV DB_PASSWORD=changeme
# want "DL3064" "SecretsUsedInArgOrEnv"
ENV AWS_ACCESS_KEY_ID=AKIAEXAMPLE
# want "DL3064" "SecretsUsedInArgOrEnv"
ARG OPENAI_API_KEY
# want "DL3064"
ONBUILD ARG CLIENT_SECRET
USER nobody
CMD ["true"]
