; Loket's Windows installer (Inno Setup 6.3 or later).
;
; Packs the one-folder PyInstaller bundle (dist\loket: loket.exe, loket-admin.exe, loket-server.exe
; and _internal\) into dist\installer\loket-<version>-windows-x64-setup.exe.
;
; Built by `python installers\build.py --installer` (the windows-installer GitHub workflow runs it),
; which passes the version from pyproject.toml and the folders:
;   ISCC /DAppVersion=0.1.0 /DAppVersionNumbers=0.1.0.0 /DBundleDir=<dist\loket> /DOutputDir=<dist\installer> loket.iss
; and, when ISCC_SIGNTOOL is set, /DSignToolName=loket "/Sloket=<ISCC_SIGNTOOL>" to sign Setup.
;
; What it promises IT staff (docs/installing.md):
; - per-machine install into Program Files, Start-menu and desktop shortcuts for every officer;
; - an upgrade installs over the previous version in place (same AppId), keeping its folder;
; - the officers' data lives in %ProgramData%\Loket (app/paths.py), writable by the laptop's users,
;   never touched by an upgrade, and kept on uninstall unless the user ticks "delete the data"
;   (silent uninstall: only with /DELETEDATA).

#if VER < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or later is needed (ArchitecturesAllowed=x64compatible).
#endif

#ifndef AppVersion
  #error Pass the version from pyproject.toml: ISCC /DAppVersion=... (installers\build.py does).
#endif
#ifndef AppVersionNumbers
  #define AppVersionNumbers AppVersion
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\loket"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist\installer"
#endif

#define AppName "Loket"
#define AppExe "loket.exe"
#define DataDir "{commonappdata}\Loket"

[Setup]
; AppId names Loket to Windows in every version: because it never changes, a new version's
; installer finds the installed one and upgrades it in place. NEVER change it.
AppId={{6F1C2B8E-3D4A-4E5F-9A7B-2C8D1E0F4A36}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Loket
AppComments=Pelayanan administrasi kependudukan di desa/kelurahan dan kecamatan
VersionInfoVersion={#AppVersionNumbers}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoDescription={#AppName} Setup
; Per machine: Program Files, shortcuts for all users, administrator rights to install.
PrivilegesRequired=admin
DefaultDirName={autopf}\Loket
DefaultGroupName=Loket
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; A running Loket is asked to close before its files are replaced (Windows Restart Manager).
CloseApplications=yes
RestartApplications=no
SetupIconFile=..\..\resources\icons\loket.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir={#OutputDir}
OutputBaseFilename=loket-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
SetupLogging=yes
#ifdef SignToolName
; Code signing (docs/installing.md): ISCC /DSignToolName=loket "/Sloket=signtool sign ... $f"
; signs Setup and the uninstaller it installs.
SignTool={#SignToolName}
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Dirs]
; The data folder: created at install, writable by the laptop's (standard) users, left in place by
; the uninstaller (the [Code] below removes it only when asked to).
Name: "{#DataDir}"; Permissions: users-modify; Flags: uninsneveruninstall

[InstallDelete]
; An upgrade first removes the previous version's libraries, so that no stale file of an older
; bundle is loaded next to the new one. The data folder is elsewhere and never touched.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{#AppName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{#AppName}"; Tasks: desktopicon

[Run]
; Started as the officer who ran Setup, not elevated: files it creates must stay the users' own.
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent runasoriginaluser

[Code]
var
  DeleteData: Boolean;

function DataDir: String;
begin
  Result := ExpandConstant('{#DataDir}');
end;

{ Whether the uninstaller was started with the given switch (e.g. /DELETEDATA). The uninstaller
  re-runs itself from a temporary copy; the switch is looked for in both forms of its command line. }
function HasSwitch(const Name: String): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), Name) = 0 then
      Result := True;
  if Pos(Uppercase(Name), Uppercase(GetCmdTail)) > 0 then
    Result := True;
end;

{ The one question the uninstaller asks: keep the officers' data (the default) or delete it. }
function AskDeleteData: Boolean;
var
  Form: TSetupForm;
  Note: TNewStaticText;
  Box: TNewCheckBox;
  Button: TNewButton;
begin
  Result := False;
#if VER >= EncodeVer(6, 6, 0)
  Form := CreateCustomForm(ScaleX(480), ScaleY(190), False, True);
#else
  Form := CreateCustomForm;
  Form.ClientWidth := ScaleX(480);
  Form.ClientHeight := ScaleY(190);
#endif
  try
    Form.Caption := 'Hapus Loket';

    Note := TNewStaticText.Create(Form);
    Note.Parent := Form;
    Note.AutoSize := False;
    Note.WordWrap := True;
    Note.Left := ScaleX(12);
    Note.Top := ScaleY(12);
    Note.Width := Form.ClientWidth - ScaleX(24);
    Note.Height := ScaleY(80);
    Note.Caption :=
      'Program Loket akan dihapus. Data petugas (basis data permohonan, hasil pindaian, cadangan ' +
      'dan log) di ' + DataDir + ' TETAP DISIMPAN, sehingga Loket yang dipasang lagi dapat ' +
      'langsung memakainya.' + #13#10 + #13#10 +
      'Sebelum menghapus data, buat cadangan: loket-admin backup <berkas>.';

    Box := TNewCheckBox.Create(Form);
    Box.Parent := Form;
    Box.Left := ScaleX(12);
    Box.Top := ScaleY(100);
    Box.Width := Form.ClientWidth - ScaleX(24);
    Box.Height := ScaleY(34);
    Box.Caption := 'Hapus juga semua data Loket di komputer ini (tidak dapat dibatalkan)';
    Box.Checked := False;

    Button := TNewButton.Create(Form);
    Button.Parent := Form;
    Button.Caption := 'Lanjutkan';
    Button.Width := ScaleX(96);
    Button.Height := ScaleY(26);
    Button.Left := Form.ClientWidth - Button.Width - ScaleX(12);
    Button.Top := Form.ClientHeight - Button.Height - ScaleY(12);
    Button.ModalResult := mrOk;
    Button.Default := True;
    Form.ActiveControl := Button;

    if (Form.ShowModal = mrOk) and Box.Checked then
      Result := MsgBox('Semua data Loket di ' + DataDir + ' akan dihapus dan tidak dapat dikembalikan. Lanjutkan?',
        mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
  finally
    Form.Free;
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usUninstall then
  begin
    if UninstallSilent then
      DeleteData := HasSwitch('/DELETEDATA')
    else
      DeleteData := AskDeleteData;
    if DeleteData then
      Log('The data folder will be deleted: ' + DataDir)
    else
      Log('The data folder is kept: ' + DataDir);
  end
  else if (CurUninstallStep = usPostUninstall) and DeleteData and DirExists(DataDir) then
  begin
    if not DelTree(DataDir, True, True, True) then
    begin
      Log('Could not delete all of ' + DataDir);
      if not UninstallSilent then
        MsgBox('Sebagian data tidak dapat dihapus (mungkin sedang dipakai): ' + DataDir, mbError, MB_OK);
    end;
  end;
end;
