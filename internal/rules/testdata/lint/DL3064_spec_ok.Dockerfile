# spec: DL3064 ordinary ARG and ENV names
ARG widget
FROM debian:bookworm-slim
ENV widget=gadget
RUN widget
USER nobody
CMD ["true"]
