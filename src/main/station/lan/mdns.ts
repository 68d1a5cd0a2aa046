/**
 * Announces the station as `_wellos-station._tcp` on the LAN listener's port, so tablets
 * find it without typing an address. Off unless asked for (`--mdns`).
 */
import { Bonjour } from 'bonjour-service';
import type { Logger } from 'pino';

export const MDNS_SERVICE_TYPE = 'wellos-station';

export interface MdnsHandle {
  stop(): Promise<void>;
}

export function startMdns(opts: { port: number; stationId: string; logger: Logger }): MdnsHandle {
  const bonjour = new Bonjour();
  bonjour.publish({ name: `WellOS station ${opts.stationId.slice(3, 11)}`, type: MDNS_SERVICE_TYPE, port: opts.port, txt: { stationId: opts.stationId, protocol: '1' } });
  opts.logger.info({ type: `_${MDNS_SERVICE_TYPE}._tcp`, port: opts.port }, 'announcing the station over mDNS');
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        bonjour.unpublishAll(() => {
          bonjour.destroy();
          resolve();
        });
      }),
  };
}
