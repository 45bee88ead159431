FROM alpine:3.21
LABEL a="$LA" b='$LB' "c"="x"
LABEL d=${LD:-default}
