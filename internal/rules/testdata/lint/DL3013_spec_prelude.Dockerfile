# spec: DL3013 spec snippet without FROM: RUN pip install requests_oauthlib
# target: DL3013
# want "DL3013" "DL3042" "DL3061"
RUN pip install requests_oauthlib
