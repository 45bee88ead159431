FROM python:3.12-slim
WORKDIR /app
# Installs above every COPY are cached by their layer: no suggestion.
RUN pip install --no-cache-dir gunicorn==22.0.0
COPY requirements.txt .
# want "SD701: pip re-runs whenever the files copied on line 5 change and downloads everything again" "DL3042"
RUN pip install -r requirements.txt
# want "SD701: pip re-runs whenever the files copied on line 5 change and downloads everything again" "DL3059: RUN follows another RUN"
RUN <<EOF
pip install --no-cache-dir -r requirements.txt
EOF
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
COPY . .
USER nobody
CMD ["true"]
