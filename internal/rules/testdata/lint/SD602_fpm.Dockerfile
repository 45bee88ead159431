FROM php:8.3-fpm-alpine
COPY app/ /var/www/html/
# 9000 speaks FastCGI: no HTTP probe can reach it.
# want `SD602: the image serves port 9000 \(FASTCGI\) but has no HEALTHCHECK.*cgi-fcgi -bind -connect 127\.0\.0\.1:9000`
EXPOSE 9000
CMD ["php-fpm"]
