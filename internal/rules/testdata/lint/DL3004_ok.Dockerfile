FROM debian:bookworm-slim
RUN echo sudo > /tmp/word && touch /etc/x
USER nobody
CMD ["true"]
