# spec: DL3033 spec snippet without FROM
# target: DL3033
# want "DL3033" "DL3061"
RUN yum install -y nginx && yum clean all
