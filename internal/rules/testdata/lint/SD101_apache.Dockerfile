# php:*-apache serves with mod_php under Apache: the lighter fpm images
# change how the app is served, and there is no slim apache variant.
FROM php:8.3-apache
COPY src/ /var/www/html/
