# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
# PowerShell is not POSIX shell: nothing here is judged as apt-get.
RUN apt-get install foo | Out-Null; sudo service x; cd C:\
USER ContainerUser
CMD ["cmd", "/c", "exit 0"]
