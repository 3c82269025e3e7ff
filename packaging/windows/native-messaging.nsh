; The browser extension's native messaging host on Windows (docs/browser.md):
; after installing, `gloss browser-setup --all` writes the host manifests
; under %LOCALAPPDATA%\Gloss and points each browser's key under
; HKEY_CURRENT_USER at them; before uninstalling, `--remove` takes them away.
; nsExec runs gloss.exe (a console program) without opening a console.

!macro NSIS_HOOK_POSTINSTALL
  nsExec::Exec '"$INSTDIR\gloss.exe" browser-setup --all'
  Pop $0
!macroend

!macro NSIS_HOOK_PREUNINSTALL
  nsExec::Exec '"$INSTDIR\gloss.exe" browser-setup --remove'
  Pop $0
!macroend
