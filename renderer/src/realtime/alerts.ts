const SOUND_KEY = 'nova.console.sound';

export const soundEnabled = () => localStorage.getItem(SOUND_KEY) !== 'off';
export const setSoundEnabled = (on: boolean) => localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');

let audio: AudioContext | null = null;

/** A short two-tone chime made with WebAudio: no sound file to ship. */
export function playChime(): void {
  if (!soundEnabled()) return;
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    [880, 1320].forEach((freq, i) => {
      const osc = audio!.createOscillator();
      const gain = audio!.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.15, now + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.12 + 0.25);
      osc.connect(gain).connect(audio!.destination);
      osc.start(now + i * 0.12);
      osc.stop(now + i * 0.12 + 0.3);
    });
  } catch {
    /* audio blocked until the user interacts with the page: the visual badge still shows */
  }
}

export const desktopNotificationsSupported = () => typeof Notification !== 'undefined';

/**
 * A system notification (in Electron the window's Notification is the OS one too). `whileVisible`: also while the
 * console is on screen (alerts that call for someone); otherwise only while it is hidden. `tag`: a newer one replaces it.
 */
export function showDesktopNotification(
  title: string,
  body: string,
  onClick: () => void,
  options: { tag?: string; whileVisible?: boolean } = {},
): void {
  if (!desktopNotificationsSupported() || Notification.permission !== 'granted') return;
  if (!options.whileVisible && !document.hidden) return;
  const n = new Notification(title, { body, tag: options.tag ?? title });
  n.onclick = () => {
    window.focus();
    onClick();
    n.close();
  };
}
