FROM alpine:3.21
COPY <<EOT /etc/app.conf
listen=$LISTEN_ADDR
EOT
COPY <<'EOT' /etc/raw.conf
listen=$NOT_EXPANDED
EOT
ADD <<-EOT /etc/add.conf
	name=$ADD_NAME
	EOT
RUN <<EOT
echo $RUN_BODY_NOT_CHECKED
EOT
