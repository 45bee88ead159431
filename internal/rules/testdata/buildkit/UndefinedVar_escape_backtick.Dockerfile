# escape=`
FROM alpine:3.21
ENV A=`$NOT_A_USE
ENV B=\$IS_A_USE
