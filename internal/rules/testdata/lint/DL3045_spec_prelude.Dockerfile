# spec: DL3045 spec snippet without FROM
# target: DL3045
# want "DL3045" "DL3061"
COPY app.sh data.sh
