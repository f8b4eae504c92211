import { tokenStore, UNAUTHORIZED_EVENT } from './client.js';
import { toApiError } from './errors.js';
import type { paths } from './generated/openapi.js';

/**
 * Sends a file body with XMLHttpRequest because fetch cannot report upload progress.
 * `onProgress` gets 0..1 while the bytes go out; the promise settles with the parsed answer.
 * A FormData body (`contentType` null) gets the browser's own multipart type with its boundary.
 */
export function uploadWithProgress<T>(
  path: keyof paths | `/nc-api/v1/conversations/${number}/messages`,
  body: Blob | FormData,
  contentType: string | null,
  onProgress: (fraction: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    const token = tokenStore.get();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    if (contentType) xhr.setRequestHeader('content-type', contentType);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      onProgress(1);
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
        } catch {
          reject(toApiError(xhr.status, ''));
        }
        return;
      }
      if (xhr.status === 401 && token) {
        tokenStore.clear();
        window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
      }
      reject(toApiError(xhr.status, xhr.responseText));
    };
    xhr.onerror = () => reject(toApiError(0, ''));
    xhr.send(body);
  });
}
