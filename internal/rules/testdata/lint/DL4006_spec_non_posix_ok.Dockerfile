# spec: DL4006 non-POSIX shells are ignored: pwsh, powershell.exe, cmd.exe
FROM mcr.microsoft.com/powershell:lts-ubuntu-22.04 AS a
SHELL ["pwsh", "-c"]
RUN Get-Variable PSVersionTable | Select-Object -ExpandProperty Value
FROM mcr.microsoft.com/powershell:lts-ubuntu-22.04 AS b
SHELL [ "powershell.exe" ]
RUN Get-Variable PSVersionTable | Select-Object -ExpandProperty Value
FROM mcr.microsoft.com/powershell:lts-ubuntu-22.04
SHELL [ "cmd.exe", "/c" ]
RUN Get-Variable PSVersionTable | Select-Object -ExpandProperty Value
USER nobody
CMD ["true"]
