# spec: DL3064 ARG (global) or ENV whose name looks sensitive, any casing
# want "DL3064"
ARG AWS_ACCESS_KEY_ID
# want "DL3064"
ARG openai_api_key
FROM debian:bookworm-slim
# want "DL3064" "SecretsUsedInArgOrEnv"
ENV AWS_ACCESS_KEY_ID=abcdefghijklmnopqrstuvwxyz
# want "DL3064" "SecretsUsedInArgOrEnv"
ENV my_password=abcdefghijklmnopqrstuvwxyz
USER nobody
CMD ["true"]
