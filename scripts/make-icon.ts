/**
 * Draws the app icon (resources/icon.png, 256 × 256): a pump-jack blue disc with a white
 * well-head mark. Run once with `node --import tsx scripts/make-icon.ts`; the PNG is committed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from '../tools/device-sim/png.ts';

const size = 256;
const pixels = new Uint8Array(size * size * 3);
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    const dx = x - 127.5;
    const dy = y - 127.5;
    const inDisc = dx * dx + dy * dy <= 120 * 120;
    const inMast = Math.abs(dx) < 14 && y > 60 && y < 200;
    const inBeam = Math.abs(dy + 40) < 12 && Math.abs(dx) < 70;
    const inBase = Math.abs(dy - 70) < 10 && Math.abs(dx) < 60;
    const white = inDisc && (inMast || inBeam || inBase);
    const [r, g, b] = !inDisc ? [255, 255, 255] : white ? [255, 255, 255] : [13, 71, 161];
    const i = (y * size + x) * 3;
    pixels[i] = r;
    pixels[i + 1] = g;
    pixels[i + 2] = b;
  }
}
writeFileSync(join(import.meta.dirname, '..', 'resources', 'icon.png'), encodePng({ width: size, height: size, rgb: pixels }));
