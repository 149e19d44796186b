import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Catalog, Vendor } from './catalog';
import type { CookieInfo, Destination, Finding, FindingKind } from './finding';
import type { StringValue } from './evaluate';
import type { Node } from './ast';
import type { ScopeMap } from './scope';

/** A word a file must contain (a detector's `keywords`), or a list of words it must contain each of. */
export type Keyword = string | RegExp | ReadonlyArray<string | RegExp>;

/** What a detector is, for docs, SARIF rules and the extension. */
export interface DetectorMeta {
  /** The rule id findings carry: stable once shipped. */
  id: string;
  kind: FindingKind;
  /** One line: what it finds. */
  description: string;
  /** Message templates by id, with `{{placeholders}}`. */
  messages: Record<string, string>;
  /**
   * Words a file must contain for this detector to find anything in it, besides the catalog's own.
   * The prefilter skips files with none of them, so they must be necessary conditions. A string is
   * matched anywhere; a RegExp (its source) where a plain substring would match far too much. A list
   * is one keyword that needs all of its words, tried in order: a cheap one first (`createElement`,
   * or a word any match must spell) keeps a costly expression off the thousands of files without it.
   */
  keywords: Keyword[];
  /**
   * Modules the detector reaches only through an import of them (`from 'zx'`, `require('execa')`,
   * `import('child_process')`): the prefilter looks for them where a module is named, as it does
   * for the catalog's packages, not anywhere in the text.
   */
  modules?: string[];
  /**
   * For a module of `modules`, the names an import must bring in for the detector to reach it
   * through that import (catalog.ts's entryNames): a named import of none of them (`import {
   * ChildProcess } from 'child_process'`) is no sign. A default, namespace or `default` import, a
   * require, a dynamic import or a re-export always is, as is any import of a module without an entry.
   */
  moduleEntries?: Record<string, readonly string[]>;
  /** Intrinsic JSX elements the detector reads (`<script>`): a sign only in files that can hold JSX (not .ts). */
  jsxElements?: string[];
  /** Globals the detector reaches (`Image` of `new Image()`): a sign only where used as one, like the catalog's. */
  globals?: string[];
}

export interface Report {
  node: Node;
  messageId: string;
  /** Placeholders for the message; `destination`, `data` and `vendor` are filled in when absent. */
  data?: Record<string, string>;
  api: string;
  destination: Destination;
  vendor?: Vendor;
  /** Defaults to the vendor's category, else the detector kind's. */
  category?: string;
  /** Expressions whose identifiers are the data sent. */
  payload?: Node[];
  related?: Array<{ node: Node; message: string }>;
  cookie?: CookieInfo;
  command?: string;
  /**
   * The send's essential part is a parameter of the enclosing function (`exec(command)`): not a
   * finding by itself, but each caller that passes a value makes one (see Detector.refine).
   */
  latent?: boolean;
  /** It only sets a client up or imports an SDK (`new Stripe(key)`): inventory, and never what makes a wrapper. */
  setupOnly?: boolean;
}

export interface DetectorContext {
  readonly file: string;
  readonly scopes: ScopeMap;
  readonly catalog: Catalog;
  report(report: Report): void;
}

type NodeOfType<T extends TSESTree.Node['type']> = Extract<TSESTree.Node, { type: T }>;

/** Handlers by ESTree node type, plus `Program:exit` after the whole file was seen. */
export type Visitor = { [T in TSESTree.Node['type']]?: (node: NodeOfType<T>) => void } & { 'Program:exit'?: () => void };

/** What a detector decides when a wrapper's parameter is bound to the value a caller passes. */
export interface Refinement {
  destination: Destination;
  vendor?: Vendor;
  category?: string;
  command?: string;
}

export interface Detector {
  meta: DetectorMeta;
  create(context: DetectorContext): Visitor;
  /**
   * Re-reads a finding inside a wrapper with its parameters bound to a caller's arguments
   * (`bind('param:url')` gives the caller's value, or undefined). Undefined means the call sends
   * nothing off the box (a local command, a relative URL).
   */
  refine?(finding: Finding, bind: (source: string) => StringValue | undefined, catalog: Catalog): Refinement | undefined;
}

/** Identity function that gives detector modules their type, as typescript-eslint's `createRule` does. */
export function defineDetector(detector: Detector): Detector {
  return detector;
}
