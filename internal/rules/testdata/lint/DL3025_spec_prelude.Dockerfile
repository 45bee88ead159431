# spec: DL3025 regression snippet without FROM: JSON CMD split over continuation lines is not reported (only DL3061)
# target: DL3025
# want "DL3061"
CMD [ "/bin/sh", "-c", \
      "echo foo && \
       echo bar" \
    ]
