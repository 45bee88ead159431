# spec: DL3028 spec snippet without FROM
# target: DL3028
# want "DL3028" "DL3061"
RUN gem install rake
