# spec: DL3048 spec snippet without FROM
# target: DL3048
# want "DL3048" "DL3061"
LABEL com.docker.label="foo"
