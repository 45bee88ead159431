# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
# PowerShell RUNs are not parsed: no cache finding.
RUN npm install -g pm2@5.3.0
USER ContainerUser
CMD ["cmd", "/c", "echo", "hi"]
