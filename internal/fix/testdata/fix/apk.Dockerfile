FROM alpine:3.19
RUN apk update
RUN apk add gcc musl-dev python3-dev
RUN pip install flask
RUN apk del gcc musl-dev
COPY . /app
CMD ["python3", "/app/app.py"]
