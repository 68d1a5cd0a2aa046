/**
 * The method names of StationApi and the IPC channels they travel on, declared once and
 * free of zod, so the sandboxed preload can import them without bundling the schemas.
 */
export const API_METHOD_NAMES = [
  'getOverview',
  'listConflicts',
  'getConflict',
  'resolveConflict',
  'overrideResolution',
  'listWells',
  'getWell',
  'listRecords',
  'listDevices',
  'revokeDevice',
  'createPairingCode',
  'listAudit',
  'verifyAudit',
  'listQuarantine',
  'getSettings',
  'updateSettings',
  'getRelayStatus',
] as const;
export type ApiMethodName = (typeof API_METHOD_NAMES)[number];

export const IPC_CHANGE_CHANNEL = 'wellos:change';

export function ipcChannelOf(method: ApiMethodName): string {
  return `wellos:api:${method}`;
}
