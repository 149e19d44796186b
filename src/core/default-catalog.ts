import vendorsJson from '../../rules/vendors.json';
import httpClientsJson from '../../rules/http-clients.json';
import dataTypesJson from '../../rules/data-types.json';
import shellCommandsJson from '../../rules/shell-commands.json';
import { Catalog, type HttpClient, type ShellCommand, type Vendor } from './catalog';
import type { DataTypeEntry } from './data-types';

let defaultCatalog: Catalog | undefined;

/** The catalogs' content, for cache keys: a catalog change invalidates cached analyses. */
export function catalogContent(): unknown[] {
  return [vendorsJson, httpClientsJson, dataTypesJson, shellCommandsJson];
}

/** The catalog shipped in rules/, bundled into the build so that nothing is read or fetched at run time. */
export function loadCatalog(): Catalog {
  defaultCatalog ??= new Catalog({
    vendors: (vendorsJson as unknown as { vendors: Vendor[] }).vendors,
    clients: (httpClientsJson as unknown as { clients: HttpClient[] }).clients,
    dataTypes: (dataTypesJson as unknown as { dataTypes: DataTypeEntry[] }).dataTypes,
    commands: (shellCommandsJson as unknown as { commands: ShellCommand[] }).commands,
  });
  return defaultCatalog;
}
