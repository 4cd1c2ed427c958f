#Requires -Version 7.2
<#
.SYNOPSIS
  Installs, upgrades and uninstalls a Loket installer on this machine and checks what
  docs/installing.md promises IT staff.

.DESCRIPTION
  For CI runners and test machines only (the windows-installer workflow runs it); it needs
  administrator rights and refuses to run where %ProgramData%\Loket already holds data.

    1. silent install: programs, shortcuts, version, the data folder writable by Users
    2. the installed programs on the real data folder: a new installation with an officer,
       demo applications, and the desktop app's smoke test on the native Windows platform plugin
    3. upgrade in place (the installer again over it): same folder, stale files gone, data unchanged
    4. silent uninstall: program and shortcuts gone, data kept
    5. install again: the kept data opens
    6. uninstall with /DELETEDATA: data gone

.EXAMPLE
  pwsh installers/windows/check-installer.ps1 -Installer dist/installer/loket-0.1.0-windows-x64-setup.exe
#>
param(
  [Parameter(Mandatory = $true)] [string] $Installer,
  # The version the installed programs must report; default: pyproject.toml's.
  [string] $Version = '',
  # Where Setup's and the uninstaller's logs go; default: loket-installer-check in the runner's temp folder.
  [string] $Logs = ''
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = Resolve-Path (Join-Path $PSScriptRoot '..\..')
$AppId = '{6F1C2B8E-3D4A-4E5F-9A7B-2C8D1E0F4A36}'  # the [Setup] AppId of loket.iss
$UninstallKey = "HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\${AppId}_is1"
$DataDir = Join-Path $env:ProgramData 'Loket'
if (-not $Logs) {
  $temp = if ($env:RUNNER_TEMP) { $env:RUNNER_TEMP } else { [IO.Path]::GetTempPath() }
  $Logs = Join-Path $temp 'loket-installer-check'
}
$Programs = 'loket', 'loket-admin', 'loket-server'
$Installer = (Resolve-Path $Installer).Path
$script:Round = 0

if (-not $Version) {
  $match = Select-String -Path (Join-Path $Root 'pyproject.toml') -Pattern '^version\s*=\s*"([^"]+)"' | Select-Object -First 1
  $Version = $match.Matches[0].Groups[1].Value
}
New-Item -ItemType Directory -Force -Path $Logs | Out-Null

function Fail([string] $Message) { throw "FAIL: $Message" }
function Step([string] $Title) { Write-Host "`n== $Title" }
function Ok([string] $What) { Write-Host "  ok    $What" }

function Install-Loket {
  $script:Round += 1
  $log = Join-Path $Logs "install-$($script:Round).log"
  $process = Start-Process -FilePath $Installer -Wait -PassThru -ArgumentList @(
    '/VERYSILENT', '/SUPPRESSMSGBOXES', '/NORESTART', '/CLOSEAPPLICATIONS', '/SP-', "/LOG=`"$log`""
  )
  if ($process.ExitCode -ne 0) { Fail "Setup exited with $($process.ExitCode); see $log" }
  Ok "silent install #$($script:Round)"
}

function Get-InstallDir {
  if (-not (Test-Path $UninstallKey)) { Fail "Loket is not registered under $UninstallKey" }
  return (Get-ItemProperty $UninstallKey).InstallLocation.TrimEnd('\')
}

function Uninstall-Loket([string[]] $Extra = @()) {
  $dir = Get-InstallDir
  $uninstaller = Join-Path $dir 'unins000.exe'
  $log = Join-Path $Logs "uninstall-$($script:Round).log"
  $arguments = @('/VERYSILENT', '/SUPPRESSMSGBOXES', '/NORESTART', "/LOG=`"$log`"") + $Extra
  $process = Start-Process -FilePath $uninstaller -Wait -PassThru -ArgumentList $arguments
  if ($process.ExitCode -ne 0) { Fail "the uninstaller exited with $($process.ExitCode); see $log" }
  # The uninstaller finishes its work in a temporary copy of itself: wait until that is done.
  $deadline = (Get-Date).AddMinutes(5)
  while ((Test-Path $uninstaller) -or (Test-Path $UninstallKey)) {
    if ((Get-Date) -gt $deadline) { Fail "the uninstall did not finish; see $log" }
    Start-Sleep -Seconds 1
  }
  Ok "silent uninstall $($Extra -join ' ')"
}

function Invoke-Program([string] $Exe, [string[]] $Arguments, [hashtable] $Environment = @{}) {
  $saved = @{}
  foreach ($name in $Environment.Keys) {
    $saved[$name] = [Environment]::GetEnvironmentVariable($name)
    [Environment]::SetEnvironmentVariable($name, $Environment[$name])
  }
  try {
    $output = & $Exe @Arguments 2>&1 | Out-String
    $code = $LASTEXITCODE
  } finally {
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
  }
  if ($code -ne 0) { Fail "$(Split-Path -Leaf $Exe) $($Arguments -join ' ') exited with $code`n$output" }
  return $output
}

function Get-DataDigest {
  $files = 'loket.db', 'keys.json' | ForEach-Object { Join-Path $DataDir $_ }
  foreach ($file in $files) { if (-not (Test-Path $file)) { Fail "$file is missing" } }
  return ($files | ForEach-Object { (Get-FileHash -Algorithm SHA256 $_).Hash }) -join ','
}

# --- 0. only on a machine without Loket data -------------------------------------------------------------
if ((Test-Path (Join-Path $DataDir 'loket.db')) -or (Test-Path $UninstallKey)) {
  Fail "Loket or its data is already on this machine ($DataDir): this check is for CI runners and test machines"
}
# The installed programs must use the real data folder, not a test override.
Remove-Item Env:LOKET_BASEDIR, Env:LOKET_CACHE_DIR, Env:QT_QPA_PLATFORM -ErrorAction SilentlyContinue
$officer = @{ LOKET_PASSWORD = 'uji-asap-Loket-2026'; LOKET_NEW_PASSWORD = 'uji-asap-Loket-2026' }

# --- 1. install ----------------------------------------------------------------------------------------
Step "Install $Installer (Loket $Version)"
Install-Loket
$dir = Get-InstallDir
if ($dir -notlike "$env:ProgramFiles\*") { Fail "installed in $dir, not under $env:ProgramFiles (per-machine, 64-bit)" }
Ok "installed in $dir"
foreach ($program in $Programs) {
  $exe = Join-Path $dir "$program.exe"
  if (-not (Test-Path $exe)) { Fail "$exe is missing" }
  $info = (Get-Item $exe).VersionInfo
  if ($info.ProductVersion -ne $Version) { Fail "$program.exe reports ProductVersion '$($info.ProductVersion)', not $Version" }
}
Ok "loket.exe, loket-admin.exe, loket-server.exe with version resource $Version"
$registered = (Get-ItemProperty $UninstallKey).DisplayVersion
if ($registered -ne $Version) { Fail "Windows lists version '$registered', not $Version" }
Ok "listed in Apps & features as Loket $registered"
$startMenu = Join-Path $env:ProgramData 'Microsoft\Windows\Start Menu\Programs\Loket.lnk'
$desktop = Join-Path $env:PUBLIC 'Desktop\Loket.lnk'
foreach ($shortcut in $startMenu, $desktop) { if (-not (Test-Path $shortcut)) { Fail "shortcut $shortcut is missing" } }
Ok "Start-menu and desktop shortcuts for all users"

if (-not (Test-Path $DataDir)) { Fail "the data folder $DataDir was not created" }
$users = New-Object System.Security.Principal.SecurityIdentifier('S-1-5-32-545')  # BUILTIN\Users, any language
$modify = [System.Security.AccessControl.FileSystemRights]::Modify
$inherit = [System.Security.AccessControl.InheritanceFlags]'ContainerInherit, ObjectInherit'
$rules = (Get-Acl $DataDir).GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier])
$grant = $rules | Where-Object {
  $_.AccessControlType -eq 'Allow' -and
  $_.IdentityReference -eq $users -and
  ($_.FileSystemRights -band $modify) -eq $modify -and
  ($_.InheritanceFlags -band $inherit) -eq $inherit
}
if (-not $grant) { Fail "Users may not modify $DataDir (and what is created in it)`n$((Get-Acl $DataDir).AccessToString)" }
Ok "$DataDir is writable by Users, inherited by its files"

# --- 2. the installed programs --------------------------------------------------------------------------
Step 'The installed programs'
$admin = Join-Path $dir 'loket-admin.exe'
$out = Invoke-Program $admin @('--version')
if ($out -notmatch [regex]::Escape("loket-admin $Version")) { Fail "loket-admin --version printed: $out" }
Invoke-Program (Join-Path $dir 'loket-server.exe') @('--help') | Out-Null
Invoke-Program $admin @('init', 'uji', 'Petugas Uji') $officer | Out-Null
Invoke-Program $admin @('--user', 'uji', 'demo', '--applications', '3') $officer | Out-Null
Invoke-Program $admin @('doctor') | Out-Null
Ok "loket-admin init/demo/doctor on $DataDir"
$gui = Start-Process -FilePath (Join-Path $dir 'loket.exe') -ArgumentList '--smoke' -PassThru
if (-not $gui.WaitForExit(180000)) { $gui.Kill($true); Fail 'loket.exe --smoke did not exit within 180 s' }
if ($gui.ExitCode -ne 0) { Fail "loket.exe --smoke exited with $($gui.ExitCode)" }
Ok 'loket.exe --smoke on the Windows platform plugin'
$before = Get-DataDigest

# --- 3. upgrade in place --------------------------------------------------------------------------------
Step 'Upgrade in place (the installer again, over the installed Loket)'
$stale = Join-Path $dir '_internal\stale-file-of-an-older-version.txt'
Set-Content -Path $stale -Value 'left by an older version'
Install-Loket
if ((Get-InstallDir) -ne $dir) { Fail "the upgrade moved Loket to $(Get-InstallDir)" }
if (Test-Path $stale) { Fail 'the upgrade left an older version''s file in _internal' }
if ((Get-DataDigest) -ne $before) { Fail 'the upgrade changed the data' }
Invoke-Program $admin @('--user', 'uji', 'verify') $officer | Out-Null
Ok 'same folder, old files gone, data unchanged and verified'

# --- 4. uninstall keeps the data ------------------------------------------------------------------------
Step 'Uninstall (the data stays)'
Uninstall-Loket
if (Test-Path (Join-Path $dir 'loket.exe')) { Fail "loket.exe is still in $dir" }
foreach ($shortcut in $startMenu, $desktop) { if (Test-Path $shortcut) { Fail "shortcut $shortcut is still there" } }
if ((Get-DataDigest) -ne $before) { Fail 'the uninstall changed the data' }
Ok "program and shortcuts removed; $DataDir kept"

# --- 5. a new install finds the data --------------------------------------------------------------------
Step 'Install again (the kept data opens)'
Install-Loket
$dir = Get-InstallDir
Invoke-Program (Join-Path $dir 'loket-admin.exe') @('--user', 'uji', 'verify') $officer | Out-Null
Ok 'the kept data opens and verifies'

# --- 6. uninstall with /DELETEDATA ----------------------------------------------------------------------
Step 'Uninstall with /DELETEDATA'
Uninstall-Loket @('/DELETEDATA')
if (Test-Path $DataDir) { Fail "$DataDir is still there after /DELETEDATA" }
Ok "$DataDir removed"

Write-Host "`nAll installer checks passed (logs: $Logs)."
