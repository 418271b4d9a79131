import { createHash } from 'node:crypto';

import type { PhotoSize } from 'grammy/types';

// Telegram keeps a photo in boxes of these sides; the largest is capped at 1280.
const BOXES = [90, 320, 800, 1280];

/** The sizes Telegram returns for a photo of `width`×`height`; ids derive from the bytes, so a resend matches. */
export function photoSizes(bytes: Buffer, width: number, height: number): PhotoSize[] {
  const digest = createHash('sha256').update(bytes).digest('base64url');
  const sizes: PhotoSize[] = [];
  for (const [index, box] of BOXES.entries()) {
    const scale = Math.min(1, box / Math.max(width, height));
    sizes.push({
      file_id: `AgACAgIAAxkDAAI${digest.slice(0, 40)}${index}`,
      file_unique_id: `AQAD${digest.slice(0, 12)}${index}`,
      width: Math.max(1, Math.round(width * scale)),
      height: Math.max(1, Math.round(height * scale)),
    });
    if (scale === 1) break;
  }
  sizes.at(-1)!.file_size = bytes.length;
  return sizes;
}
