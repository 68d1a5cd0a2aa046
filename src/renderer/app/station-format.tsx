/** The station's time zone and formatters, from the overview, for every screen. */
import { createContext, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { StationFormat } from '../format/format.ts';
import { createStationFormat } from '../format/format.ts';

const StationFormatContext = createContext<StationFormat | null>(null);

export function StationFormatProvider({ timeZone, children }: { timeZone: string; children: ReactNode }) {
  const format = useMemo(() => createStationFormat(timeZone), [timeZone]);
  return <StationFormatContext value={format}>{children}</StationFormatContext>;
}

export function useStationFormat(): StationFormat {
  const format = useContext(StationFormatContext);
  if (format === null) throw new Error('useStationFormat must be used inside <StationFormatProvider>');
  return format;
}
