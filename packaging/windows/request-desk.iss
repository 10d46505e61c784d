; Inno Setup script: the installer of the frozen desk for office PCs (packaging/README.md).
; The workflow .github/workflows/windows-build.yml builds dist\request-desk with
; packaging\build.py, then compiles this script:
;
;   iscc /DAppVersion=0.1.0 packaging\windows\request-desk.iss
;
; It installs per machine, into Program Files, with a Start-menu and a desktop shortcut.
; The records are not in the program folder: the database, its backups (backups\ beside the
; database), the log and the office's own templates are in the user's data folder, which
; platformdirs gives the desk (request_desk/paths.py: %LOCALAPPDATA%\RequestDesk, or
; REQUEST_DESK_DATA / REQUEST_DESK_DB / --db, e.g. a shared drive). Neither an upgrade nor an
; uninstall touches that folder; an upgrade replaces the program folder only.
; Saved as UTF-8 with a byte order mark, which Inno Setup needs to read the Chinese names.

#ifndef AppVersion
  #error Give the version: iscc /DAppVersion=X.Y.Z (the workflow reads it from pyproject.toml)
#endif
#define AppName "依申请公开办理台"
#define AppExe "request-desk.exe"
#define CliExe "request-desk-cli.exe"
#define Built "..\..\dist\request-desk"

[Setup]
; The same AppId for every version: a newer setup upgrades the installed one in place.
AppId={{6F3B2C1E-8D47-4A5B-9E21-3C7D5A9B0F42}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
DefaultDirName={autopf}\RequestDesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; A desk still open is asked to close before its files are replaced.
CloseApplications=yes
RestartApplications=no
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist
OutputBaseFilename=request-desk-setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no

[Languages]
; Inno Setup ships no Simplified Chinese messages; the workflow puts ChineseSimplified.isl
; beside this script. Default.isl first: a message the translation lacks stays English
; rather than failing the build.
Name: "chinesesimplified"; MessagesFile: "compiler:Default.isl,ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; The previous version's program files go first, so that no library or migration it had and
; this one dropped is left behind to be loaded. Only {app}: the data folder is elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Built}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autoprograms}\{#AppName} 命令行"; Filename: "{cmd}"; Parameters: "/k ""{app}\{#CliExe}"" --help"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
; As the user who started the setup, not the administrator who approved it: the desk makes its
; data folder under the user's own profile at the first start.
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent runasoriginaluser
