FROM alpine:3.21
COPY \

    <<EOT /x
body
EOT
