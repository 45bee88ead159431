FROM golang:1.23
WORKDIR $GOPATH/src/app
