/**
 * A new pairing code: the code in big letters, when it expires, the station URL, and the
 * QR code. The QR code's SVG comes from the station and is shown as an image from a
 * data: URL — never inserted as markup, so nothing in it can run.
 */
import { useNow } from '../../components/use-now.ts';
import type { PairingCodeResult } from '../../../shared/api/station-api.ts';
import { useStationFormat } from '../../app/station-format.tsx';
import { formatDuration } from '../../format/format.ts';

export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function PairingPanel({ pairing, onDone }: { pairing: PairingCodeResult; onDone: () => void }) {
  const fmt = useStationFormat();
  const now = useNow(1000);
  const leftMs = Date.parse(pairing.expiresAt) - now;
  const expired = leftMs <= 0;
  return (
    <section className="panel pairing" aria-labelledby="pairing-title" data-testid="pairing-panel">
      <h2 id="pairing-title">Pair a tablet</h2>
      <div className="pairing-body">
        <img className="qr" src={svgDataUrl(pairing.qrSvg)} alt={`QR code for pairing: station ${pairing.stationUrl}, code ${pairing.code}`} width={220} height={220} data-testid="pairing-qr" />
        <div>
          <p>On the tablet, open the WellOS app, choose “Pair with station”, and scan this QR code — or type the address and the code:</p>
          <dl className="facts">
            <div>
              <dt>Station address</dt>
              <dd>
                <code data-testid="pairing-url">{pairing.stationUrl}</code>
              </dd>
            </div>
            <div>
              <dt>Pairing code</dt>
              <dd className="pairing-code" data-testid="pairing-code">
                {pairing.code}
              </dd>
            </div>
            <div>
              <dt>Valid until</dt>
              <dd data-testid="pairing-expiry" className={expired ? 'warn-text' : undefined}>
                {fmt.dateTime(pairing.expiresAt)} {expired ? '— expired, make a new code' : `(${formatDuration(leftMs)} left)`}
              </dd>
            </div>
          </dl>
          <p className="hint">The code works once. The tablet shows up in the list below when it has paired.</p>
          <button type="button" onClick={onDone} data-testid="pairing-done">
            Done
          </button>
        </div>
      </div>
    </section>
  );
}
