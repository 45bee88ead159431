# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
# PowerShell is not parsed as POSIX shell: nothing to say about it.
RUN choco upgrade chocolatey -y
USER ContainerUser
CMD ["cmd", "/c", "echo", "hi"]
