/**
 * /widget.js: the snippet from bind-domain. Reads `window.novaChatSettings` ({websiteToken, position,
 * color, title, launcherText, locale, user: {name, email, identifier_hash}}) and talks to the server it
 * was loaded from.
 */
import { pageSettings, scriptBase, startNovaChat, type NovaChatApi } from './chat.js';
import type { Contact } from './types.js';

declare global {
  interface Window {
    novaChatSettings?: Record<string, unknown>;
    NovaChat?: NovaChatApi;
  }
}

const settings = window.novaChatSettings ?? {};
const token = settings.websiteToken;
if (window.NovaChat) console.warn('[Nova Chat] the widget is already on this page; ignoring the second script');
else if (typeof token !== 'string' || !token) console.warn('[Nova Chat] window.novaChatSettings.websiteToken is missing');
else {
  window.NovaChat = startNovaChat(scriptBase(document.currentScript, 'widget.js'), token, pageSettings(settings));
  // A site that has signed the visitor in names them here, as it would with NovaChat.setUser.
  if (settings.user && typeof settings.user === 'object') window.NovaChat.setUser(settings.user as Contact);
}
