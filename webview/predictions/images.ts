import type { Prediction } from '../../common/run/records';

/** An image a chat prompt sent to the model, ready for `img.src`. */
export interface PromptImage {
  src: string;
  /** "user message 1, image 2". */
  label: string;
}

/** Only inline raster images: no remote URL (the CSP refuses it anyway), no svg (script), no other data type. */
const SAFE_IMAGE_URL = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;
/** Beyond this a data URL is not shown: one huge value must not freeze the pane. */
export const MAX_IMAGE_URL_CHARS = 16 * 1024 * 1024;
export const MAX_PROMPT_IMAGES = 8;

export function isSafeImageUrl(url: unknown): url is string {
  return typeof url === 'string' && url.length <= MAX_IMAGE_URL_CHARS && SAFE_IMAGE_URL.test(url);
}

function isImagePart(part: unknown): part is { type: 'image_url'; image_url?: unknown } {
  return typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'image_url';
}

function imageUrlOf(part: { image_url?: unknown }): unknown {
  if (typeof part.image_url === 'object' && part.image_url !== null) return (part.image_url as { url?: unknown }).url;
  return part.image_url;
}

/** Pure: the images of a chat prompt's content parts, in order, keeping only safe inline raster data URLs. */
export function promptImages(prompt: Prediction['prompt']): { images: PromptImage[]; refused: number } {
  const images: PromptImage[] = [];
  let refused = 0;
  if (typeof prompt === 'string') return { images, refused };
  prompt.forEach((message, m) => {
    if (!Array.isArray(message.content)) return;
    let n = 0;
    for (const part of message.content) {
      if (!isImagePart(part)) continue;
      const url = imageUrlOf(part);
      n++;
      if (!isSafeImageUrl(url) || images.length >= MAX_PROMPT_IMAGES) refused++;
      else images.push({ src: url, label: `${message.role} message ${m + 1}, image ${n}` });
    }
  });
  return { images, refused };
}

/** A data URL shortened for the prompt's text view: the image itself is shown beside the answer. */
export function elideDataUrl(url: string): string {
  if (!url.startsWith('data:') || url.length <= 120) return url;
  const comma = url.indexOf(',');
  return `${url.slice(0, comma >= 0 && comma < 80 ? comma + 1 : 40)}… (${url.length.toLocaleString('en-US')} characters)`;
}
