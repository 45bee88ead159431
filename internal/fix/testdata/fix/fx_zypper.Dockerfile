# zypper: non-interactive install, cache cleaned in the same layer.
FROM opensuse/leap:15.6
RUN zypper install timezone=2024a
CMD ["date"]
