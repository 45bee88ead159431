# BuildKit does not check ARGs before FROM (DL3064 does).
# want "DL3064: ARG GLOBAL_TOKEN looks like a secret"
ARG GLOBAL_TOKEN
FROM alpine:3.20
# want "SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data" "DL3064: ARG NPM_TOKEN looks like a secret"
ARG NPM_TOKEN
# want "SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data" "DL3064: ENV DB_PASSWORD looks like a secret"
ENV DB_PASSWORD=changeme
# want "SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data" "DL3064: ARG AWS_SECRET_ACCESS_KEY looks like a secret"
ARG AWS_SECRET_ACCESS_KEY
