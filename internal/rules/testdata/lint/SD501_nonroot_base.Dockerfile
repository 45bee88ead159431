# grafana/k6 already runs as the k6 user.
FROM grafana/k6:0.52.0
COPY script.js /scripts/script.js
ENTRYPOINT ["k6", "run", "/scripts/script.js"]
