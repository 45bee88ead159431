FROM alpine:3.21
# check=skip=LegacyKeyValueFormat

ENV A 1
ENV B 2
