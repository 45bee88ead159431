FROM ubuntu:20.04

RUN apt-get update
RUN apt-get install -y python3
RUN apt-get install -y python3-pip
RUN apt-get install -y curl
RUN apt-get install -y git

COPY . /app/
WORKDIR /app

RUN pip3 install flask
RUN pip3 install requests
RUN pip3 install gunicorn

EXPOSE 8000

CMD python3 app.py
