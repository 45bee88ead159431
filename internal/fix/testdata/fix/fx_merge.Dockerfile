FROM debian:bookworm-slim
# Consecutive single-command RUNs are chained with &&.
RUN mkdir -p /srv/data
# the comment between two RUNs moves above the chain
RUN touch /srv/data/ready
RUN chmod 0755 /srv/data

# cd changes the directory of what follows: no merge.
RUN cd /srv
RUN ls

# Different flags cannot share a RUN.
RUN --network=none echo offline
RUN echo online
USER nobody
CMD ["ls", "/srv/data"]
