# spec: DL3020 spec snippet without FROM
# target: DL3020
# want "DL3020" "DL3061"
ADD file /usr/src/app/
