FROM busybox:1.37
ADD <<EOT /etc/motd
Welcome to $MOTD_HOST
EOT
USER app:$APP_GROUP
