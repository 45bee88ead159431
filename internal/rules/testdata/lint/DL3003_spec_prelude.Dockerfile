# spec: DL3003 spec snippet without FROM
# target: DL3003
# want "DL3003" "DL3061"
RUN cd /opt
