FROM alpine:3.21 as build
from alpine:3.21 AS other
From alpine:3.21 as mixed
