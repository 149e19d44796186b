import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type * as Engine from './engine';
import { toDiagnostic, isOffboxDiagnostic } from './diagnostics';
import { log, safely } from './safe';
import { ScanWorkerHost } from './scan-worker-host';

type LevelledFinding = Engine.LevelledFinding;

/** A workspace folder's privacy promise and what Offbox last found in it. */
export interface FolderState {
  folder: vscode.WorkspaceFolder;
  policy: Engine.FolderPolicy;
  /** Problems in privacy.json (it is then ignored until fixed: no silent fallback). */
  configProblems: string[];
  /** The last workspace scan's findings, by file relative to the folder. */
  scanned?: Map<string, LevelledFinding[]>;
  scanResult?: Engine.ScanResult;
}

const ANALYSABLE = new Set(['typescript', 'typescriptreact', 'javascript', 'javascriptreact']);
const DEBOUNCE_MS = 300;

/**
 * Holds the editor's state: each folder's privacy.json, the findings behind every diagnostic, and
 * the debounced analysis of open documents. The core does the analysis; this turns it into
 * diagnostics and keeps them current.
 */
export class Controller implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('offbox');
  readonly configDiagnostics = vscode.languages.createDiagnosticCollection('offbox-config');
  readonly folders = new Map<string, FolderState>();
  /** The findings behind each document's diagnostics, for hovers and quick-fixes. */
  readonly findingsByUri = new Map<string, LevelledFinding[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  // What the log has been told that stays true keystroke after keystroke: said once.
  private readonly logged = new Set<string>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private engineModule: typeof Engine | undefined;
  /** Scan workers, one per folder, kept between scans. */
  readonly scanWorkers: ScanWorkerHost;

  /** `storagePath`: the workspace storage folder VS Code gives the extension, where scan caches live. */
  constructor(private readonly extensionPath: string, readonly storagePath?: string) {
    this.scanWorkers = new ScanWorkerHost(extensionPath);
  }

  /** The scanner core, loaded on first use. */
  engine(): typeof Engine {
    // A path built at run time keeps esbuild from inlining the engine into the light entry bundle.
    this.engineModule ??= require(path.join(this.extensionPath, 'dist', 'engine.js')) as typeof Engine;
    return this.engineModule;
  }

  settings() {
    const config = vscode.workspace.getConfiguration('offbox');
    return {
      enable: config.get<boolean>('enable', true),
      showAllowedAsHints: config.get<boolean>('showAllowedAsHints', false),
      severity: config.get<Record<string, string>>('severity', { error: 'error', warning: 'warning', note: 'information' }),
      maxFileSize: config.get<number>('maxFileSize', 1024 * 1024),
      exclude: config.get<string[]>('exclude', []),
      includeTests: config.get<boolean>('includeTests', false),
    };
  }

  /** (Re)reads every folder's privacy.json and re-judges everything open and the last scans. */
  reloadConfigs(): void {
    this.configDiagnostics.clear();
    for (const folder of vscode.workspace.workspaceFolders ?? []) this.loadFolder(folder);
    for (const state of this.folders.values()) if (state.scanResult) this.applyScan(state, state.scanResult);
    for (const document of vscode.workspace.textDocuments) this.analyze(document);
    this.changeEmitter.fire();
  }

  private loadFolder(folder: vscode.WorkspaceFolder): void {
    const root = folder.uri.fsPath;
    const previous = this.folders.get(folder.uri.toString());
    const state: FolderState = { folder, policy: { root }, configProblems: [], scanned: previous?.scanned, scanResult: previous?.scanResult };
    const file = path.join(root, 'privacy.json');
    const open = vscode.workspace.textDocuments.find((document) => document.uri.fsPath === file);
    // From disk, loadPrivacyConfig reads a regular file of bounded size: a pipe committed as
    // privacy.json would block the extension host, and a link to /dev/zero fill its memory.
    const loaded = open ? this.engine().loadPrivacyConfig(file, open.getText()) : existsSync(file) ? this.engine().loadPrivacyConfig(file) : undefined;
    if (loaded) {
      const { config, problems } = loaded;
      if (config) state.policy = { root, config, configFile: 'privacy.json' };
      state.configProblems = problems.map((problem) => `privacy.json:${problem.line}: ${problem.message}`);
      if (problems.length > 0) {
        const uri = vscode.Uri.file(file);
        this.configDiagnostics.set(
          uri,
          problems.map((problem) => {
            const diagnostic = new vscode.Diagnostic(new vscode.Range(problem.line - 1, problem.column - 1, problem.line - 1, problem.column + 20), problem.message, vscode.DiagnosticSeverity.Error);
            diagnostic.source = 'Offbox';
            return diagnostic;
          }),
        );
        void vscode.window.showWarningMessage(`Offbox: ${folder.name}/privacy.json has ${problems.length} problem${problems.length === 1 ? '' : 's'}; findings are shown as an inventory until it is fixed. ${problems[0].message}`);
      }
    }
    this.folders.set(folder.uri.toString(), state);
  }

  folderOf(uri: vscode.Uri): FolderState | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.folders.get(folder.uri.toString()) : undefined;
  }

  private logOnce(message: string): void {
    if (this.logged.has(message)) return;
    this.logged.add(message);
    log(message);
  }

  /** Analyses a document after a pause in typing. */
  schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(safely('analysis', () => this.analyze(document)), DEBOUNCE_MS));
  }

  /** Analyses a document now and publishes its diagnostics. */
  analyze(document: vscode.TextDocument): void {
    if (!ANALYSABLE.has(document.languageId) || document.uri.scheme !== 'file') return;
    const settings = this.settings();
    if (!settings.enable || document.getText().length > settings.maxFileSize) {
      this.publish(document.uri, []);
      return;
    }
    const state = this.folderOf(document.uri);
    const root = state?.policy.root ?? path.dirname(document.uri.fsPath);
    const relative = path.relative(root, document.uri.fsPath).split(path.sep).join('/');
    const started = performance.now();
    // Calls into wrappers elsewhere are known from the last workspace scan (none before one).
    const wrapperCalls = state?.scanned ? (state.scanned.get(relative) ?? []).filter((finding) => finding.ruleId === 'wrapper-call') : undefined;
    const analysis = this.engine().analyzeDocument(state?.policy ?? { root }, relative, document.getText(), state?.scanResult?.clientExports, wrapperCalls);
    const elapsed = performance.now() - started;
    if (elapsed > 50) log(`${relative}: analysed in ${elapsed.toFixed(0)} ms`);
    if (analysis.documentError) this.logOnce(analysis.documentError);
    // A file it cannot analyse (nesting too deep, a bug of ours) is said in the log, once per reason.
    if (analysis.skipped) this.logOnce(`${relative}: not analysed: ${analysis.skipped}`);
    // While a file is mid-edit or cannot be analysed, keep the last good diagnostics rather than let them vanish.
    if ((analysis.partial || analysis.skipped) && this.findingsByUri.has(document.uri.toString())) return;
    this.publish(document.uri, analysis.findings);
  }

  /** Turns a workspace scan into diagnostics for every file, opened or not. */
  applyScan(state: FolderState, result: Engine.ScanResult): LevelledFinding[] {
    state.scanResult = result;
    const { findings, documentError } = this.engine().judgeScan(state.policy, result);
    if (documentError) this.logOnce(documentError);
    const byFile = new Map<string, LevelledFinding[]>();
    for (const finding of findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
    for (const file of state.scanned?.keys() ?? []) if (!byFile.has(file)) this.publish(vscode.Uri.file(path.join(state.policy.root, file)), []);
    state.scanned = byFile;
    for (const [file, fileFindings] of byFile) this.publish(vscode.Uri.file(path.join(state.policy.root, file)), fileFindings);
    this.changeEmitter.fire();
    return findings;
  }

  publish(uri: vscode.Uri, findings: LevelledFinding[]): void {
    const settings = this.settings();
    const state = this.folderOf(uri);
    const docs = vscode.Uri.file(path.join(this.extensionPath, 'rules', 'docs'));
    const shown = findings.filter((finding) => !finding.suppression);
    this.findingsByUri.set(uri.toString(), shown);
    const diagnostics = shown.flatMap((finding) => {
      const diagnostic = toDiagnostic(finding, settings, docs, state?.policy);
      return diagnostic ? [diagnostic] : [];
    });
    this.diagnostics.set(uri, diagnostics);
    this.changeEmitter.fire();
  }

  /** The finding behind a diagnostic, matched as vscode-eslint does: by range, code and message. */
  findingFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): LevelledFinding | undefined {
    if (!isOffboxDiagnostic(diagnostic)) return undefined;
    const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
    return this.findingsByUri
      .get(uri.toString())
      ?.find((finding) => finding.ruleId === code && finding.range.start.line - 1 === diagnostic.range.start.line && finding.range.start.column === diagnostic.range.start.character);
  }

  /** Counts of what breaks the promise (errors and warnings), across everything known. */
  violations(): number {
    let count = 0;
    for (const findings of this.findingsByUri.values()) count += findings.filter((finding) => finding.level === 'error' || finding.level === 'warning').length;
    return count;
  }

  forget(document: vscode.TextDocument): void {
    clearTimeout(this.timers.get(document.uri.toString()));
    this.timers.delete(document.uri.toString());
    const state = this.folderOf(document.uri);
    const relative = state ? path.relative(state.policy.root, document.uri.fsPath).split(path.sep).join('/') : undefined;
    // A closed file keeps its diagnostics if the workspace scan knows it (it is in the Problems panel).
    if (relative && state?.scanned?.has(relative)) this.publish(document.uri, state.scanned.get(relative)!);
    else {
      this.diagnostics.delete(document.uri);
      this.findingsByUri.delete(document.uri.toString());
    }
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.scanWorkers.dispose();
    this.diagnostics.dispose();
    this.configDiagnostics.dispose();
    this.changeEmitter.dispose();
  }
}
