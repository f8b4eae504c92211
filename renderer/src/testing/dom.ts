import NodeWebSocket from 'ws';

/**
 * What jsdom lacks and the console's components call (Mantine's own testing guide lists the same):
 * media queries answered for a laptop-sized window, a ResizeObserver that never fires, and scrolling
 * that only moves `scrollTop`. Imported by each component test before the console renders.
 */
const WIDTH_PX = 1366;
const EM_PX = 16;

/** `(min-width: 62em)` and `(max-width: 48em)`, the only kinds of query the console asks. */
function matches(query: string): boolean {
  return query.split(' and ').every((part) => {
    const m = /\((min|max)-width:\s*([\d.]+)(em|px)\)/.exec(part);
    if (!m) return false;
    const px = Number(m[2]) * (m[3] === 'em' ? EM_PX : 1);
    return m[1] === 'min' ? WIDTH_PX >= px : WIDTH_PX <= px;
  });
}

window.matchMedia = (query: string) =>
  ({
    matches: matches(query),
    media: query,
    onchange: null,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    addListener: () => undefined,
    removeListener: () => undefined,
    dispatchEvent: () => false,
  }) as MediaQueryList;

window.ResizeObserver = class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

Element.prototype.scrollTo = function scrollTo(this: Element, options?: ScrollToOptions | number) {
  if (typeof options === 'object' && options.top !== undefined) this.scrollTop = options.top;
} as Element['scrollTo'];
Element.prototype.scrollIntoView = () => undefined;

// jsdom warns on every call with a pseudo-element, which Mantine makes; the console never styles one.
const computedStyle = window.getComputedStyle.bind(window);
window.getComputedStyle = (element: Element) => computedStyle(element);

// jsdom's own WebSocket (undici's) fires Node events that the DOM globals of this environment refuse;
// `ws` offers the same browser interface (onopen, onmessage, onclose, readyState) over a real socket.
window.WebSocket = NodeWebSocket as unknown as typeof WebSocket;
