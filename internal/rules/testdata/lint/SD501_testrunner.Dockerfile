FROM python:3.12-slim
WORKDIR /tests
COPY requirements.txt .
# want "SD701: pip re-runs whenever the files copied on line 3 change"
RUN pip install --no-cache-dir -r requirements.txt
COPY tests/ ./
# want "SD501: the tests run as root"
CMD ["pytest", "-q"]
