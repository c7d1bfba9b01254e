/**
 * Links to an event's media on the camera's Frigate server (its HTTP API: `/api/events/<id>/…`).
 * Centinela composes them and never fetches them; the operator's browser (or the case file) does, and
 * only for what Frigate says it keeps (`has_snapshot`, `has_clip`).
 */
export interface MediaUrls {
  thumbnailUrl: string | null;
  snapshotUrl: string | null;
  clipUrl: string | null;
}

export const NO_MEDIA: MediaUrls = { thumbnailUrl: null, snapshotUrl: null, clipUrl: null };

/** `http://frigate:5000/` → `http://frigate:5000`; null when not configured. */
export function normalizeBaseUrl(base: string | null | undefined): string | null {
  const trimmed = base?.trim().replace(/\/+$/, '');
  return trimmed ? trimmed : null;
}

export function eventMediaUrls(
  baseUrl: string | null | undefined,
  eventId: string,
  available: { hasSnapshot: boolean; hasClip: boolean },
): MediaUrls {
  const base = normalizeBaseUrl(baseUrl);
  if (!base) return NO_MEDIA;
  const root = `${base}/api/events/${encodeURIComponent(eventId)}`;
  return {
    thumbnailUrl: `${root}/thumbnail.jpg`,
    snapshotUrl: available.hasSnapshot ? `${root}/snapshot.jpg` : null,
    clipUrl: available.hasClip ? `${root}/clip.mp4` : null,
  };
}
