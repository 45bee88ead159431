FROM alpine:3.21
CMD <<EOT
echo hi
EOT
