# yum and dnf: answer the prompt and drop the package cache in the same
# layer as the install.
FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN yum install httpd-2.4.57
RUN dnf install tzdata-2024a
CMD ["httpd", "-DFOREGROUND"]
