/**
 * Run ONLY inside a private network namespace (`unshare -n`): starts a station with mDNS
 * on, browses for `_wellos-station._tcp`, prints what it found as one JSON line.
 */
import { Bonjour } from 'bonjour-service';
import { createStation } from '../../src/main/station/create-station.ts';
import { MDNS_SERVICE_TYPE } from '../../src/main/station/lan/mdns.ts';
import { silentLogger } from '../../src/main/station/logger.ts';
import { makeTempDir } from './temp-store.ts';

const station = createStation({ dataDir: makeTempDir(), lanPort: 0, uiPort: 0, mdns: true, logger: silentLogger(), staticDir: null });
const { lan } = await station.start();
const browser = new Bonjour();
const found = await new Promise<{ port: number; txt: unknown } | null>((resolve) => {
  const timer = setTimeout(() => resolve(null), 5_000);
  browser.find({ type: MDNS_SERVICE_TYPE }, (service) => {
    clearTimeout(timer);
    resolve({ port: service.port, txt: service.txt });
  });
});
browser.destroy();
await station.stop();
process.stdout.write(`${JSON.stringify({ lanPort: Number(new URL(lan).port), found, stationId: station.identity.stationId })}\n`);
process.exit(0);
