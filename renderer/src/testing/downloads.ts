/** A file the page handed to the browser's download: the name it offered and the bytes. */
export type SavedDownload = { name: string; blob: Blob };

/**
 * jsdom cannot download: records what the page hands to the browser's download instead (the object URL
 * made from the file and the link clicked with its name), until `restore()` puts jsdom's own back.
 */
export function captureDownloads() {
  const saved: SavedDownload[] = [];
  const blobs = new Map<string, Blob>();
  const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL, click: HTMLAnchorElement.prototype.click };
  URL.createObjectURL = (blob: Blob) => {
    const url = `blob:download-${blobs.size}`;
    blobs.set(url, blob);
    return url;
  };
  URL.revokeObjectURL = () => undefined;
  HTMLAnchorElement.prototype.click = function click(this: HTMLAnchorElement) {
    const blob = blobs.get(this.getAttribute('href') ?? '');
    if (blob) saved.push({ name: this.download, blob });
  };
  return {
    saved,
    restore() {
      URL.createObjectURL = original.create;
      URL.revokeObjectURL = original.revoke;
      HTMLAnchorElement.prototype.click = original.click;
    },
  };
}
