/**
 * The renderer's view of what the preload exposes.
 * Empty until the `StationApi` lands with the dashboard issue; then this becomes
 * `readonly api: StationApi` imported (as a type) from `src/shared/`.
 */
export type PreloadApi = Readonly<Record<string, never>>;

declare global {
  interface Window {
    readonly api: PreloadApi;
  }
}
