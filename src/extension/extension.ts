import * as path from 'node:path';
import * as vscode from 'vscode';
import { OffboxCodeActions } from './code-actions';
import { exportSarif, generateDisclosure, scanWorkspace, setMode } from './commands';
import { Controller } from './controller';
import { FindingHoverProvider } from './hover';
import { declareVendorEdit } from './privacy-json';
import { ReportPanel } from './report-panel';
import { log, outputChannel, safely } from './safe';

const SELECTOR: vscode.DocumentSelector = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'].map((language) => ({ language, scheme: 'file' }));

/**
 * Activation does no analysis: it wires providers and commands, then analyses open documents on
 * the next tick, so the window never waits for the scanner (loaded lazily from dist/engine.js).
 */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const controller = new Controller(context.extensionPath, context.storageUri?.fsPath);
  const status = vscode.window.createStatusBarItem('offbox.status', vscode.StatusBarAlignment.Left, 20);
  status.name = 'Offbox privacy mode';
  status.command = 'offbox.showReport';
  const updateStatus = safely('status bar', () => {
    const modes = [...new Set([...controller.folders.values()].map((state) => state.policy.config?.mode ?? 'no mode'))];
    const violations = controller.violations();
    status.text = `$(shield) Offbox: ${modes.join(', ') || 'no mode'} · ${violations}`;
    status.tooltip = `${violations} finding${violations === 1 ? '' : 's'} break the declared privacy promise. Click for the report.`;
    status.backgroundColor = violations > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    status.show();
  });
  const command = (id: string, handler: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, safely(id, handler as (...args: unknown[]) => unknown, true)));

  context.subscriptions.push(
    controller,
    status,
    outputChannel(),
    controller.onDidChange(updateStatus),
    vscode.languages.registerCodeActionsProvider(SELECTOR, guardedProvider(new OffboxCodeActions(controller), 'provideCodeActions'), { providedCodeActionKinds: OffboxCodeActions.kinds }),
    vscode.languages.registerHoverProvider(SELECTOR, guardedProvider(new FindingHoverProvider(controller), 'provideHover')),
    vscode.workspace.onDidOpenTextDocument(safely('open', (document) => controller.analyze(document))),
    vscode.workspace.onDidChangeTextDocument(safely('change', (event) => controller.schedule(event.document))),
    vscode.workspace.onDidCloseTextDocument(safely('close', (document) => controller.forget(document))),
    vscode.workspace.onDidSaveTextDocument(safely('save', (document) => {
      if (path.basename(document.uri.fsPath) === 'privacy.json' || path.basename(document.uri.fsPath) === path.basename(controller.folderOf(document.uri)?.policy.config?.policy ?? '\u0000')) controller.reloadConfigs();
    })),
    vscode.workspace.onDidChangeWorkspaceFolders(safely('folders', () => controller.reloadConfigs())),
    vscode.workspace.onDidChangeConfiguration(safely('settings', (event) => {
      if (event.affectsConfiguration('offbox')) controller.reloadConfigs();
    })),
    vscode.workspace.onDidGrantWorkspaceTrust(safely('trust', () => controller.reloadConfigs())),
  );
  // privacy.json edited outside the editor (git checkout, another tool) re-judges everything too.
  const watcher = vscode.workspace.createFileSystemWatcher('**/privacy.json');
  const reload = safely('privacy.json watcher', () => controller.reloadConfigs());
  context.subscriptions.push(watcher, watcher.onDidChange(reload), watcher.onDidCreate(reload), watcher.onDidDelete(reload));

  command('offbox.scanWorkspace', (options?: { cancelAfterFiles?: number }) => scanWorkspace(controller, options ?? {}));
  command('offbox.showReport', () => {
    ReportPanel.show(controller, context.extensionUri);
  });
  command('offbox.setMode', (mode?: 'air-gapped' | 'on-prem' | 'hosted') => setMode(controller, mode));
  command('offbox.exportSarif', (target?: string) => exportSarif(controller, target));
  command('offbox.generateDisclosure', () => generateDisclosure(controller));
  command('offbox.openRuleDoc', async (ruleId: string) => {
    const uri = vscode.Uri.file(path.join(context.extensionPath, 'rules', 'docs', `${ruleId}.md`));
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  });
  command('offbox.declareVendor', async (uri: vscode.Uri, vendor: string, purpose: string) => {
    if (!vscode.workspace.isTrusted) throw new Error('privacy.json is edited only in a trusted folder');
    await declareVendorEdit(uri, vendor, purpose);
    controller.reloadConfigs();
  });
  command('offbox.selectRange', (uri: vscode.Uri, range: vscode.Range) => {
    const editor = vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.toString() === uri.toString());
    if (editor) editor.selection = new vscode.Selection(range.start, range.end);
  });
  command('offbox.test.state', () => ({ statusBarText: status.text, reportPanelOpen: ReportPanel.isOpen(), mode: [...controller.folders.values()][0]?.policy.config?.mode, engine: controller.engine().parserInfo() }));

  updateStatus();
  setTimeout(
    safely('first analysis', () => {
      controller.reloadConfigs();
      const timing = `Activated in ${(performance.now() - started).toFixed(0)} ms (first analysis of ${vscode.workspace.textDocuments.length} open documents included).`;
      log(timing);
      // Under test, timings also go to the console, where the real-editor test launcher prints them.
      if (context.extensionMode === vscode.ExtensionMode.Test) console.log(`TIMING ${timing}`);
    }),
    0,
  );
  const activation = `Offbox ${context.extension.packageJSON.version as string} activated (${vscode.workspace.isTrusted ? 'trusted' : 'Restricted Mode'}): activate() took ${(performance.now() - started).toFixed(0)} ms.`;
  log(activation);
  if (context.extensionMode === vscode.ExtensionMode.Test) console.log(`TIMING ${activation}`);
}

/** A provider whose method reports its errors to the Offbox output channel instead of the extension host. */
function guardedProvider<T extends object, K extends keyof T>(provider: T, method: K): T {
  const original = provider[method] as unknown as (...args: unknown[]) => unknown;
  (provider as Record<K, unknown>)[method] = safely(String(method), (...args: unknown[]) => original.apply(provider, args));
  return provider;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
