FROM alpine:3.21 AS grand
ONBUILD ENV G=$FROM_GRAND
ONBUILD CMD grand-cmd

FROM grand AS parent
ONBUILD ENV P=$FROM_PARENT

FROM parent
CMD ["own"]
