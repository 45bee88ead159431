# spec: DL3041 spec snippet without FROM
# target: DL3041
# want "DL3041" "DL3061"
RUN dnf install -y nginx && dnf clean all
