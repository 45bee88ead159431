# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
USER ContainerUser
# The rule does not depend on the shell: PowerShell as PID 1 does not
# forward stop signals either.
# want "DL3025: CMD in shell form"
CMD Start-Service w3svc; ping -t localhost
