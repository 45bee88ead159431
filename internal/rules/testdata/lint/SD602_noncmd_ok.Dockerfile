# EXPOSE without a command of the image's own: a base image.
FROM nginx:1.27
EXPOSE 80
