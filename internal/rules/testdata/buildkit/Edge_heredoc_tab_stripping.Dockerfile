FROM alpine:3.21
COPY <<-EOT /etc/x.conf
	key=$TAB_STRIPPED
	EOT
COPY <<"EOT" /etc/y.conf
key=$DOUBLE_QUOTED_DELIM
EOT
