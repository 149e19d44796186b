// Loading oxc: its native binding alone where the tree comes as JSON, oxc-parser's package where raw
// transfer applies, whose steps readRaw strings together (parse.ts runs it; see ARCHITECTURE.md,
// "Two parsers, one tree").

export type OxcModule = typeof import('oxc-parser');
/** oxc-parser's native binding, whose `program` is the tree as JSON, and a reader of that JSON. */
interface OxcJson {
  parseSync(fileName: string, text: string, options: Parameters<OxcModule['parseSync']>[2]): { program: string; errors: ReadonlyArray<{ message: string }> };
  jsonParseAst(json: string): unknown;
}
/** The pieces of oxc-parser's raw transfer that its parseSync strings together, called one by one (readRaw). */
interface OxcRaw {
  prepareRaw(text: string): { buffer: RawBuffer; sourceStartPos: number; sourceByteLen: number };
  parseRawSync(fileName: string, block: Uint8Array, sourceStartPos: number, sourceByteLen: number, options: Parameters<OxcModule['parseSync']>[2]): void;
  isJsAst(buffer: RawBuffer): boolean;
  deserializeJs: RawDeserialize;
  deserializeTs: RawDeserialize;
  returnBufferToCache(buffer: RawBuffer): void;
}
type RawBuffer = Uint8Array & { block: Uint8Array };
type RawDeserialize = (buffer: RawBuffer, text: string, sourceStartPos: number, sourceByteLen: number) => { program: unknown; errors: ReadonlyArray<{ message: string }> };
/** oxc as loaded: its package (absent where only the native binding was loaded, see loadOxc), the JSON path and the raw one. */
export interface Oxc {
  module?: OxcModule;
  json?: OxcJson;
  raw?: OxcRaw;
}
let loadedOxc: Oxc | null | undefined;

/**
 * oxc-parser ships a native binding per platform, so it is loaded at run time from node_modules and
 * never bundled. Where it is missing (another platform, a trimmed install) the reference parser
 * serves every file: slower, same findings.
 *
 * Where raw transfer cannot apply (Node before 22), the JSON path needs only the binding: loaded
 * from its package here, it spares the ES module loader that requiring oxc-parser's modules starts
 * (13 of Node's internal modules: loading oxc took 14 to 26 ms here, now 5 to 9 ms). Anything
 * unexpected (a binding of another version, a platform not listed) loads oxc-parser itself.
 */
export function loadOxc(): Oxc | undefined {
  if (loadedOxc === undefined) {
    try {
      const json = rawTransferPossible() ? undefined : nativeBinding();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loadedOxc = json ? { json } : { module: require('oxc-parser') as OxcModule, json: loadOxcJson(), raw: loadOxcRaw() };
    } catch {
      loadedOxc = null;
    }
  }
  return loadedOxc ?? undefined;
}

/** The binding and JSON reader runOxc calls, from the same oxc-parser; undefined (parseSync then serves) if its layout differs. */
function loadOxcJson(): OxcJson | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parseSync } = require('oxc-parser/src-js/bindings') as Pick<OxcJson, 'parseSync'>;
    return typeof parseSync === 'function' ? { parseSync, jsonParseAst } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Raw transfer's pieces, from the same oxc-parser; undefined (its parseSync then serves) if its layout
 * differs. oxc-parser's own parseSync hands the tree out through getters that close over it, and on
 * V8 12 (Node 22) making such an object, read or not, kept that tree alive through young-generation
 * collections: a scan at scale promoted 62-77 MB to the old generation (bench/README.md).
 */
function loadOxcRaw(): OxcRaw | undefined {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const common = require('oxc-parser/src-js/raw-transfer/common') as Partial<Pick<OxcRaw, 'prepareRaw' | 'isJsAst' | 'returnBufferToCache'>>;
    const { parseRawSync } = require('oxc-parser/src-js/bindings') as Partial<Pick<OxcRaw, 'parseRawSync'>>;
    const js = require('oxc-parser/src-js/generated/deserialize/js') as { deserialize?: RawDeserialize };
    const ts = require('oxc-parser/src-js/generated/deserialize/ts') as { deserialize?: RawDeserialize };
    /* eslint-enable @typescript-eslint/no-require-imports */
    const { prepareRaw, isJsAst, returnBufferToCache } = common;
    if (!prepareRaw || !isJsAst || !returnBufferToCache || !parseRawSync || !js.deserialize || !ts.deserialize) return undefined;
    return { prepareRaw, parseRawSync, isJsAst, returnBufferToCache, deserializeJs: js.deserialize, deserializeTs: ts.deserialize };
  } catch {
    return undefined;
  }
}

/** One raw-transfer parse, as oxc-parser's parseSync makes it, with the tree and its errors handed back as they are. */
export function readRaw(raw: OxcRaw, fileName: string, text: string, options: Parameters<OxcModule['parseSync']>[2]): { program: unknown; errors: ReadonlyArray<{ message: string }> } {
  const { buffer, sourceStartPos, sourceByteLen } = raw.prepareRaw(text);
  raw.parseRawSync(fileName, buffer.block, sourceStartPos, sourceByteLen, options);
  const data = (raw.isJsAst(buffer) ? raw.deserializeJs : raw.deserializeTs)(buffer, text, sourceStartPos, sourceByteLen);
  raw.returnBufferToCache(buffer);
  return { program: data.program, errors: data.errors };
}

// The binding packages oxc-parser lists for the platforms VS Code ships on, in the order its own
// loader tries them (glibc before musl: on a musl system the glibc binding fails to load).
const NATIVE_BINDINGS: Readonly<Record<string, readonly string[]>> = {
  'linux-x64': ['linux-x64-gnu', 'linux-x64-musl'],
  'linux-arm64': ['linux-arm64-gnu', 'linux-arm64-musl'],
  'darwin-x64': ['darwin-x64'],
  'darwin-arm64': ['darwin-arm64'],
  'win32-x64': ['win32-x64-msvc'],
  'win32-arm64': ['win32-arm64-msvc'],
};

/** oxc's native binding for this platform, of oxc-parser's own version, with the JSON reader; undefined when there is none such. */
function nativeBinding(): OxcJson | undefined {
  // NAPI_RS_NATIVE_LIBRARY_PATH names another binding, which only oxc-parser's loader reads.
  if (process.env.NAPI_RS_NATIVE_LIBRARY_PATH) return undefined;
  let version: string;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    version = (require('oxc-parser/package.json') as { version: string }).version;
  } catch {
    return undefined;
  }
  for (const name of NATIVE_BINDINGS[`${process.platform}-${process.arch}`] ?? []) {
    try {
      // A binding speaks the JSON of its own version: one left behind by an upgrade is not used.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      if ((require(`@oxc-parser/binding-${name}/package.json`) as { version: string }).version !== version) continue;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { parseSync } = require(`@oxc-parser/binding-${name}`) as Partial<Pick<OxcJson, 'parseSync'>>;
      if (typeof parseSync === 'function') return { parseSync, jsonParseAst };
    } catch {
      // Not installed here, or not loadable (glibc's on musl): the next.
    }
  }
  return undefined;
}

/**
 * The tree from oxc's JSON, as oxc-parser's own reader (src-js/wrap.js) makes it: JSON cannot hold a
 * BigInt or a RegExp, so oxc lists the paths of such literals and their values are made here.
 */
function jsonParseAst(json: string): unknown {
  const { node: program, fixes } = JSON.parse(json) as { node: Record<string, unknown>; fixes: ReadonlyArray<ReadonlyArray<string | number>> };
  for (const path of fixes) {
    let node = program as Record<string | number, unknown>;
    for (const key of path) node = node[key] as Record<string | number, unknown>;
    const literal = node as { value?: unknown; bigint?: string; regex?: { pattern: string; flags: string } };
    if (literal.bigint) literal.value = BigInt(literal.bigint);
    else if (literal.regex) {
      try {
        literal.value = new RegExp(literal.regex.pattern, literal.regex.flags);
      } catch {
        // A pattern this runtime cannot compile keeps a null value, as in oxc-parser.
      }
    }
  }
  return program;
}

let rawTransfer: boolean | undefined;
let jsonByDefault = false;

/**
 * Makes JSON this process's hand-over unless OFFBOX_OXC_RAW=1 asks for raw transfer: for a process
 * that parses a few hundred files once (the CLI), raw transfer's deserializer, 6,000 lines of
 * JavaScript, costs more to warm up than it then saves (bench/README.md). Called before the first
 * parse; the editor's engine, which parses the same documents keystroke after keystroke, keeps raw.
 */
export function preferJsonTransfer(): void {
  jsonByDefault = true;
}

/**
 * oxc hands its tree over as JSON, and JSON.parse is most of the cost of a parse (about 5 of 6 ms
 * for a 1,400-line file). Where the runtime allows (Node 22 and later: VS Code's extension host
 * since 1.101, current CI images), raw transfer reads the tree straight from oxc's memory instead:
 * the same nodes, about 5x faster once warm. OFFBOX_OXC_RAW=0 turns it off, OFFBOX_OXC_RAW=1 on
 * where JSON is the process's default (preferJsonTransfer).
 */
export function useRawTransfer(oxc: Oxc): boolean {
  rawTransfer ??= oxc.module !== undefined && rawTransferPossible() && oxc.module.rawTransferSupported();
  return rawTransfer;
}

/**
 * Whether raw transfer may apply, before oxc-parser is loaded to ask: not when turned off, nor on
 * Node before 22, which cannot make the ArrayBuffer of over 4 GiB it needs (oxc-parser's own test,
 * src-js/raw-transfer/supported.js, which also asks the binding whether the platform is 64-bit).
 */
function rawTransferPossible(): boolean {
  if (process.env.OFFBOX_OXC_RAW === '0' || (jsonByDefault && process.env.OFFBOX_OXC_RAW !== '1')) return false;
  const major = /^v(\d+)\./.exec(process.version)?.[1];
  return major === undefined || Number(major) >= 22;
}
