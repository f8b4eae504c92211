import type { DomainRow } from '../domains/repo.js';

/**
 * A browser page other than the bound website's. Browsers send `Origin` on every cross-origin write
 * (fetch, XHR, forms, WebSockets); server-side integrations send none, and keep working.
 */
export const isForeignOrigin = (origin: string | undefined, website: DomainRow): boolean =>
  Boolean(origin) && origin !== website.website_url;
