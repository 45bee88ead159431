# check=skip=StageNameCasing
FROM alpine:3.21 AS Build

FROM alpine:3.21 AS Other
