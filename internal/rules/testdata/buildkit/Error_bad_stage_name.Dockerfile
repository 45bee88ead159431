FROM alpine:3.21 AS 2build
