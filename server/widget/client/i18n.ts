/** UI strings. The locale comes from the page settings, then the server config, then the browser. */
const en = {
  launcher: 'Chat',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  title: 'Chat with us',
  dialog: 'Chat window',
  messages: 'Messages',
  placeholder: 'Type your message…',
  send: 'Send message',
  intro: 'Tell us who you are (optional)',
  name: 'Name',
  email: 'Email',
  badEmail: 'Please enter a valid email address or leave it empty.',
  notSent: 'Your message could not be sent. Please try again.',
  typing: '{name} is typing…',
  unread: '{n} unread',
  you: 'You',
  support: 'Support',
};

export type Strings = typeof en;

const es: Strings = {
  launcher: 'Chat',
  openChat: 'Abrir chat',
  closeChat: 'Cerrar chat',
  title: 'Chatea con nosotros',
  dialog: 'Ventana de chat',
  messages: 'Mensajes',
  placeholder: 'Escribe tu mensaje…',
  send: 'Enviar mensaje',
  intro: 'Dinos quién eres (opcional)',
  name: 'Nombre',
  email: 'Correo electrónico',
  badEmail: 'Introduce un correo válido o déjalo vacío.',
  notSent: 'No se pudo enviar tu mensaje. Inténtalo de nuevo.',
  typing: '{name} está escribiendo…',
  unread: '{n} sin leer',
  you: 'Tú',
  support: 'Soporte',
};

const pt: Strings = {
  launcher: 'Chat',
  openChat: 'Abrir chat',
  closeChat: 'Fechar chat',
  title: 'Fale conosco',
  dialog: 'Janela de chat',
  messages: 'Mensagens',
  placeholder: 'Digite sua mensagem…',
  send: 'Enviar mensagem',
  intro: 'Diga-nos quem você é (opcional)',
  name: 'Nome',
  email: 'E-mail',
  badEmail: 'Informe um e-mail válido ou deixe em branco.',
  notSent: 'Não foi possível enviar sua mensagem. Tente novamente.',
  typing: '{name} está digitando…',
  unread: '{n} não lidas',
  you: 'Você',
  support: 'Suporte',
};

const catalog: Record<string, Strings> = { en, es, pt };

/** `pt-BR` → pt, `es-419` → es; anything unknown → en. */
export function stringsFor(...candidates: (string | undefined)[]): Strings {
  for (const candidate of candidates) {
    const strings = catalog[candidate?.toLowerCase().split(/[-_]/)[0] ?? ''];
    if (strings) return strings;
  }
  return en;
}

export const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));
