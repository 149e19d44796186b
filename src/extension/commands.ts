import { createHash } from 'node:crypto';
import { writeFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Controller, FolderState } from './controller';
import type { LevelledFinding, PrivacyMode, ScanResult } from './engine';
import { editPrivacyJson } from './privacy-json';
import { log } from './safe';

export interface ScanSummary {
  files: number;
  findings: number;
  /** Files replayed from the scan cache (unchanged since the last scan). */
  cached: number;
  durationMs: number;
  cancelled: boolean;
}

/** "Privacy: Scan Workspace": every folder, in a worker thread, with a cancellable progress notification. */
export async function scanWorkspace(controller: Controller, options: { cancelAfterFiles?: number } = {}): Promise<ScanSummary> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage('Offbox: Scan Workspace runs once you trust this folder (Restricted Mode analyses open files only).');
    return { files: 0, findings: 0, cached: 0, durationMs: 0, cancelled: true };
  }
  const summary: ScanSummary = { files: 0, findings: 0, cached: 0, durationMs: 0, cancelled: false };
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Offbox: scanning the workspace', cancellable: true }, async (progress, token) => {
    for (const state of controller.folders.values()) {
      if (token.isCancellationRequested) break;
      const result = await scanInWorker(controller, state, progress, token, options.cancelAfterFiles);
      const findings = controller.applyScan(state, result);
      summary.files += result.counts.files;
      summary.findings += findings.length;
      summary.cached += result.counts.cached;
      summary.durationMs += result.durationMs;
      summary.cancelled ||= result.cancelled;
      log(`Scanned ${state.folder.name}: ${result.counts.files} files (${result.counts.parsed} parsed) in ${(result.durationMs / 1000).toFixed(2)} s, ${findings.length} findings${result.cancelled ? ' (cancelled)' : ''}`);
    }
  });
  return summary;
}

/** Scans one folder in its scan worker (scan-worker-host.ts) and relays its progress; the worker's side is engine.ts's runScanWorker. */
function scanInWorker(
  controller: Controller,
  state: FolderState,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
  cancelAfterFiles: number | undefined,
): Promise<ScanResult> {
  const settings = controller.settings();
  const cancel = new SharedArrayBuffer(4);
  const filesExclude = Object.entries(vscode.workspace.getConfiguration('files', state.folder.uri).get<Record<string, boolean>>('exclude', {}))
    .filter(([, on]) => on)
    .map(([pattern]) => pattern.replace(/^\*\*\//, ''));
  const subscription = token.onCancellationRequested(() => Atomics.store(new Int32Array(cancel), 0, 1));
  let reported = 0;
  const request = {
    root: state.policy.root,
    guards: state.policy.config?.guards ?? [],
    exclude: [...filesExclude, ...settings.exclude, ...(state.policy.config?.ignore ?? [])],
    maxFileSize: settings.maxFileSize,
    includeTests: settings.includeTests,
    cancel,
    cancelAfterFiles,
    // One cache per folder in the workspace storage: a second scan reads only the files changed since.
    cacheFile: controller.storagePath ? path.join(controller.storagePath, `scan-${createHash('sha1').update(state.policy.root).digest('hex').slice(0, 12)}.json`) : undefined,
  };
  const onProgress = (done: number, total: number) => {
    const percent = (done / total) * 100;
    progress.report({ message: `${state.folder.name}: ${done} of ${total} files`, increment: percent - reported });
    reported = percent;
  };
  return controller.scanWorkers.scan(request, onProgress).finally(() => subscription.dispose());
}

/** Every finding of the last scans, for the report, the status bar, SARIF and the disclosure. */
export function lastFindings(controller: Controller): Array<{ state: FolderState; findings: LevelledFinding[] }> {
  return [...controller.folders.values()].map((state) => ({ state, findings: [...(state.scanned?.values() ?? [])].flat() }));
}

/** "Privacy: Export SARIF": the last scan of the first folder (scanning first when there is none). */
export async function exportSarif(controller: Controller, target?: string): Promise<string | undefined> {
  const state = await ensureScanned(controller);
  if (!state?.scanResult) return undefined;
  const file = target ?? (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(path.join(state.policy.root, 'offbox.sarif')), filters: { SARIF: ['sarif', 'json'] } }))?.fsPath;
  if (!file) return undefined;
  const findings = [...(state.scanned?.values() ?? [])].flat();
  writeFileSync(file, controller.engine().formatSarif(state.scanResult, findings, state.policy.root));
  void vscode.window.showInformationMessage(`Offbox: SARIF written to ${file}`);
  return file;
}

/** "Privacy: Generate Disclosure": the Markdown table, in a new editor. */
export async function generateDisclosure(controller: Controller): Promise<void> {
  const state = await ensureScanned(controller);
  if (!state) return;
  const markdown = controller.engine().disclosure([...(state.scanned?.values() ?? [])].flat(), state.policy.config);
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.window.showTextDocument(document);
}

/** "Privacy: Set Privacy Mode": edits privacy.json's mode, or creates privacy.json from a scan. */
export async function setMode(controller: Controller, chosen?: PrivacyMode): Promise<void> {
  const state = [...controller.folders.values()][0];
  if (!state) return;
  const mode =
    chosen ??
    ((
      await vscode.window.showQuickPick(
        [
          { label: 'air-gapped', description: 'nothing leaves the network' },
          { label: 'on-prem', description: 'no telemetry to the vendor; only licence validation' },
          { label: 'hosted', description: 'third parties the privacy policy discloses' },
        ],
        { placeHolder: 'The privacy promise this product makes' },
      )
    )?.label as PrivacyMode | undefined);
  if (!mode) return;
  const file = path.join(state.policy.root, 'privacy.json');
  if (existsSync(file)) {
    await editPrivacyJson(vscode.Uri.file(file), ['mode'], mode);
  } else {
    if (!vscode.workspace.isTrusted) throw new Error('privacy.json is created only in a trusted folder');
    await scanWorkspace(controller);
    const config = controller.engine().starterConfig([...(state.scanned?.values() ?? [])].flat(), mode);
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
    await vscode.window.showTextDocument(vscode.Uri.file(file));
  }
  controller.reloadConfigs();
}

async function ensureScanned(controller: Controller): Promise<FolderState | undefined> {
  const state = [...controller.folders.values()][0];
  if (state && !state.scanResult) await scanWorkspace(controller);
  return state;
}
