/**
 * /nova-widget-sdk-v2.js: one tag, `<script src=".../nova-widget-sdk-v2.js" data-token="wk_live_…">`,
 * optionally with data-position, data-color, data-title, data-launcher-text, data-locale. Exposes
 * `window.NovaChat` (open, close, toggle, setUser, on) for the host page's own code.
 */
import { pageSettings, scriptBase, startNovaChat } from './chat.js';

const script =
  document.currentScript instanceof HTMLScriptElement
    ? document.currentScript
    : document.querySelector<HTMLScriptElement>('script[data-token]');
const token = script?.dataset.token;
if (window.NovaChat) console.warn('[Nova Chat] the widget is already on this page; ignoring the second script');
else if (!token) console.warn('[Nova Chat] the SDK script needs a data-token attribute');
else window.NovaChat = startNovaChat(scriptBase(script, 'nova-widget-sdk-v2.js'), token, pageSettings({ ...script.dataset }));
