# spec: DL3040 spec snippet without FROM
# target: DL3040
# want "DL3040" "DL3061"
RUN dnf install -y postgresql-10.4
