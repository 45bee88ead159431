from alpine:3.21
expsoe 80
