import { MAX_PHOTO_BYTES, type VerifiedFile, verifyImage } from '../citizen/attachments.js';

/**
 * Downloads one media file the gateway points at (its own storage), with a size cap and a timeout,
 * and verifies it like an uploaded photo. Returns null when it cannot be fetched or is not an
 * accepted image: the message must not be lost for it, so it is recorded with a note that names the
 * attachment as unavailable.
 */
export async function downloadMedia(
  url: string,
  mime: string,
  index: number,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<VerifiedFile | null> {
  const doFetch = options.fetch ?? fetch;
  try {
    const response = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    if (!response.ok || !response.body) return null;
    if (Number(response.headers.get('content-length') ?? '0') > MAX_PHOTO_BYTES) return null;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > MAX_PHOTO_BYTES) return null;
      chunks.push(Buffer.from(chunk));
    }
    return verifyImage(Buffer.concat(chunks), index, mime, new URL(url).pathname.split('/').pop());
  } catch {
    return null;
  }
}
