# spec: DL3004 spec snippet without FROM
# target: DL3004
# want "DL3004" "DL3061"
RUN sudo echo hi
