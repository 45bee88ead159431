# nginx's master binds port 80 as root and runs its workers as nginx.
FROM nginx:1.27-alpine
COPY nginx.conf /etc/nginx/nginx.conf
# want `SD602: the image serves port 80 \(HTTP\) but has no HEALTHCHECK, so a hung server is never detected: add HEALTHCHECK CMD wget -q --spider http://localhost:80/`
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
