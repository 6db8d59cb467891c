/**
 * What *Reveal*, *Open* and *Open Work Folder* can do where the editor runs. Pure (no `vscode`
 * import): the caller passes `env.uiKind` and `env.remoteName`, and a unit test covers the table.
 *
 * | where                         | Reveal / Open Work Folder           | Open (a video)                  |
 * |-------------------------------|-------------------------------------|---------------------------------|
 * | desktop, local files          | the OS file manager                 | the system's default player     |
 * | desktop + remote (SSH, WSL…)  | Explorer if in the workspace, else  | offer Reveal / Copy Path        |
 * | web (vscode.dev, code-server) |   copy the path and say so          |                                 |
 *
 * A remote or browser window cannot reach the machine that holds the file with an OS program, and
 * opening a video in an editor tab shows it as binary text, so those fall back.
 */
export type UiKind = 'desktop' | 'web';

export interface Host {
  uiKind: UiKind;
  /** `env.remoteName`: undefined for local files, e.g. 'ssh-remote', 'wsl', 'codespaces' otherwise. */
  remoteName?: string;
}

export type RevealAction = 'revealInOS' | 'revealInExplorer' | 'copyPath';
export type OpenAction = 'openExternal' | 'offerRevealOrCopy';

/** True when an OS program on the user's machine can see the file (desktop window, local files). */
export function filesAreLocal(host: Host): boolean {
  return host.uiKind === 'desktop' && !host.remoteName;
}

export function revealAction(host: Host, inWorkspace: boolean): RevealAction {
  if (filesAreLocal(host)) return 'revealInOS';
  return inWorkspace ? 'revealInExplorer' : 'copyPath';
}

export function openAction(host: Host): OpenAction {
  return filesAreLocal(host) ? 'openExternal' : 'offerRevealOrCopy';
}
