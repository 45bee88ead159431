FROM debian:bookworm-slim
ENV CACHE=$HOME/.cache
ENV WHO=$USER
ENV HOST=$HOSTNAME
ENV lower=$home
