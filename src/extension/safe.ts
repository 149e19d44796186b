import * as vscode from 'vscode';

let channel: vscode.OutputChannel | undefined;

export function outputChannel(): vscode.OutputChannel {
  channel ??= vscode.window.createOutputChannel('Offbox');
  return channel;
}

export function log(message: string): void {
  outputChannel().appendLine(`[${new Date().toISOString()}] ${message}`);
}

/**
 * Wraps every command, provider and event handler: an error of ours goes to the Offbox output
 * channel (and, when the user must act, a one-line notification), never into the extension host.
 */
export function safely<A extends unknown[], R>(what: string, handler: (...args: A) => R, notify = false): (...args: A) => R | undefined {
  return (...args: A) => {
    try {
      const result = handler(...args);
      if (result instanceof Promise) {
        return result.catch((error: unknown) => report(what, error, notify)) as R;
      }
      return result;
    } catch (error) {
      report(what, error, notify);
      return undefined;
    }
  };
}

function report(what: string, error: unknown, notify: boolean): undefined {
  const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  log(`${what} failed: ${message}`);
  if (notify) void vscode.window.showErrorMessage(`Offbox: ${what} failed: ${error instanceof Error ? error.message : String(error)}. See the Offbox output for details.`);
  return undefined;
}
