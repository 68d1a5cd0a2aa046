/**
 * Record keys start with `{kind}/{wellId}`: the records of one well are a handful of key
 * ranges on the key index, so no separate well index has to be kept up to date on ingest.
 */
const KINDS = ['production', 'reading', 'inspection', 'repair', 'notes', 'photos'] as const;

/** SQL condition (on column `key`) and parameters selecting every record of a well. */
export function wellKeyCondition(wellId: string, column = 'key'): { sql: string; params: string[] } {
  // '/' is 0x2F and '0' is 0x30: [prefix + '/', prefix + '0') is exactly "starts with prefix/".
  const ranges = KINDS.map(() => `(${column} >= ? AND ${column} < ?)`);
  const params = KINDS.flatMap((kind) => [`${kind}/${wellId}/`, `${kind}/${wellId}0`]);
  return { sql: `(${[...ranges, `${column} = ?`].join(' OR ')})`, params: [...params, `status/${wellId}`] };
}
