from alpine:3.21
run true
copy a /a
RUN false
Env A=1
