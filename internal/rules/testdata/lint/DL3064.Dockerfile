# want "DL3064: ARG GITHUB_TOKEN looks like a secret"
ARG GITHUB_TOKEN
FROM alpine:3.20
# want "DL3064: ARG NPM_AUTH_TOKEN looks like a secret" "SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data"
ARG NPM_AUTH_TOKEN
# want "DL3064: ENV DB_PASSWORD looks like a secret" "SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data"
ENV DB_PASSWORD=changeme
# want "DL3064: ENV AWS_ACCESS_KEY_ID looks like a secret" "SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data"
ENV AWS_ACCESS_KEY_ID=AKIAEXAMPLE
# want "DL3064: ARG OPENAI_API_KEY looks like a secret" "SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data"
ARG OPENAI_API_KEY
# want "DL3064: ONBUILD ARG CLIENT_SECRET looks like a secret"
ONBUILD ARG CLIENT_SECRET
USER nobody
CMD ["true"]
