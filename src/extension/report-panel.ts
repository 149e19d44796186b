import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Controller } from './controller';
import { lastFindings } from './commands';
import { safely } from './safe';

/** What the report's script draws: plain data, no markup from the extension. */
export interface ReportData {
  folders: Array<{
    name: string;
    mode: string | null;
    byLevel: Record<string, number>;
    byCategory: Array<[string, Record<string, number>]>;
    vendors: Array<{ name: string; category: string; levels: Record<string, number>; places: Array<{ file: string; line: number; level: string; message: string }> }>;
    drift: Array<{ rule: string; message: string; file: string; line: number }>;
    scanned: boolean;
  }>;
}

/**
 * "Privacy: Show Report": a webview with the verdicts by vendor, category and mode, a chart, the
 * policy-document drift and links that open each location. Strict CSP, nothing remote, the
 * editor's theme colours.
 */
export class ReportPanel {
  private static current: ReportPanel | undefined;

  static show(controller: Controller, extensionUri: vscode.Uri): ReportPanel {
    if (ReportPanel.current) {
      ReportPanel.current.panel.reveal();
      ReportPanel.current.update();
      return ReportPanel.current;
    }
    const panel = vscode.window.createWebviewPanel('offboxReport', 'Offbox Report', vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
    });
    ReportPanel.current = new ReportPanel(panel, controller, extensionUri);
    return ReportPanel.current;
  }

  static isOpen(): boolean {
    return ReportPanel.current !== undefined;
  }

  private readonly disposables: vscode.Disposable[] = [];

  private constructor(private readonly panel: vscode.WebviewPanel, private readonly controller: Controller, extensionUri: vscode.Uri) {
    const nonce = randomBytes(16).toString('base64');
    const media = (file: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', file));
    panel.webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${panel.webview.cspSource}; img-src ${panel.webview.cspSource} data:; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('report.css')}"><title>Offbox Report</title></head>
<body><main id="report"><p class="muted">Loading…</p></main>
<script nonce="${nonce}" src="${media('report.js')}"></script></body></html>`;
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage(safely('report message', (message: { type: string; file?: string; line?: number }) => this.receive(message))),
      controller.onDidChange(() => this.update()),
    );
    this.update();
  }

  private update(): void {
    void this.panel.webview.postMessage({ type: 'data', data: buildReport(this.controller) });
  }

  private async receive(message: { type: string; file?: string; line?: number; command?: string }): Promise<void> {
    if (message.type === 'ready') this.update();
    if (message.type === 'command' && (message.command === 'offbox.scanWorkspace' || message.command === 'offbox.setMode')) await vscode.commands.executeCommand(message.command);
    if (message.type === 'open' && message.file) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(message.file));
      const line = Math.max(0, (message.line ?? 1) - 1);
      await vscode.window.showTextDocument(document, { selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.One });
    }
  }

  private dispose(): void {
    ReportPanel.current = undefined;
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function buildReport(controller: Controller): ReportData {
  return {
    folders: lastFindings(controller).map(({ state, findings }) => {
      const active = findings.filter((finding) => !finding.suppression);
      const byLevel: Record<string, number> = {};
      const categories = new Map<string, Record<string, number>>();
      const vendors = new Map<string, ReportData['folders'][number]['vendors'][number]>();
      for (const finding of active) {
        byLevel[finding.level] = (byLevel[finding.level] ?? 0) + 1;
        if (finding.kind === 'policy') continue;
        const category = categories.get(finding.category) ?? {};
        category[finding.level] = (category[finding.level] ?? 0) + 1;
        categories.set(finding.category, category);
        const name = finding.vendor?.name ?? finding.destination.host ?? `dynamic: ${finding.destination.source}`;
        const vendor = vendors.get(name) ?? { name, category: finding.category, levels: {}, places: [] };
        vendor.levels[finding.level] = (vendor.levels[finding.level] ?? 0) + 1;
        vendor.places.push({ file: path.join(state.policy.root, finding.file), line: finding.range.start.line, level: finding.level, message: finding.verdict?.reason ?? finding.message });
        vendors.set(name, vendor);
      }
      return {
        name: state.folder.name,
        mode: state.policy.config?.mode ?? null,
        byLevel,
        byCategory: [...categories].sort((a, b) => total(b[1]) - total(a[1])),
        vendors: [...vendors.values()].sort((a, b) => (b.levels.error ?? 0) - (a.levels.error ?? 0) || total(b.levels) - total(a.levels)),
        drift: active
          .filter((finding) => finding.kind === 'policy' && finding.ruleId.startsWith('policy-'))
          .map((finding) => ({ rule: finding.ruleId, message: finding.message, file: path.join(state.policy.root, finding.file), line: finding.range.start.line })),
        scanned: state.scanResult !== undefined,
      };
    }),
  };
}

function total(levels: Record<string, number>): number {
  return Object.values(levels).reduce((sum, count) => sum + count, 0);
}
