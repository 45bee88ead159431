# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
WORKDIR C:\app
COPY package.json .
# PowerShell RUNs are not parsed: no cache-mount suggestion.
RUN npm install
USER ContainerUser
CMD ["cmd", "/c", "echo", "hi"]
