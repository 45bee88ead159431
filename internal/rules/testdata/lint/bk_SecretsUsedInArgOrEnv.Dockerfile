# BuildKit does not check ARGs before FROM (DL3064 does).
# want "DL3064"
ARG GLOBAL_TOKEN
FROM alpine:3.20
# want "SecretsUsedInArgOrEnv" "DL3064"
ARG NPM_TOKEN
# want "SecretsUsedInArgOrEnv" "DL3064"
ENV DB_PASSWORD=changeme
# want "SecretsUsedInArgOrEnv" "DL3064"
ARG AWS_SECRET_ACCESS_KEY
