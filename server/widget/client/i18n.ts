/** UI strings. The locale comes from the page settings, then the server config, then the browser. */
const en = {
  /** The language these strings are in, sent with a new conversation so the AI agent speaks it too. */
  lang: 'en',
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
  choices: 'Suggested answers',
  feedbackQuestion: 'Did that answer your question?',
  yes: 'Yes',
  no: 'No',
  feedbackThanks: 'Thanks for letting us know.',
};

export type Strings = typeof en;

const es: Strings = {
  lang: 'es',
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
  choices: 'Respuestas sugeridas',
  feedbackQuestion: '¿Eso respondió a tu pregunta?',
  yes: 'Sí',
  no: 'No',
  feedbackThanks: 'Gracias por decírnoslo.',
};

const pt: Strings = {
  lang: 'pt',
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
  choices: 'Respostas sugeridas',
  feedbackQuestion: 'Isso respondeu à sua pergunta?',
  yes: 'Sim',
  no: 'Não',
  feedbackThanks: 'Obrigado por nos avisar.',
};

const fr: Strings = {
  lang: 'fr',
  launcher: 'Chat',
  openChat: 'Ouvrir le chat',
  closeChat: 'Fermer le chat',
  title: 'Discutez avec nous',
  dialog: 'Fenêtre de chat',
  messages: 'Messages',
  placeholder: 'Écrivez votre message…',
  send: 'Envoyer le message',
  intro: 'Dites-nous qui vous êtes (facultatif)',
  name: 'Nom',
  email: 'E-mail',
  badEmail: 'Saisissez une adresse e-mail valide ou laissez le champ vide.',
  notSent: 'Votre message n’a pas pu être envoyé. Veuillez réessayer.',
  typing: '{name} écrit…',
  unread: '{n} non lus',
  you: 'Vous',
  support: 'Support',
  choices: 'Réponses suggérées',
  feedbackQuestion: 'Cela a-t-il répondu à votre question ?',
  yes: 'Oui',
  no: 'Non',
  feedbackThanks: 'Merci de nous l’avoir dit.',
};

const de: Strings = {
  lang: 'de',
  launcher: 'Chat',
  openChat: 'Chat öffnen',
  closeChat: 'Chat schließen',
  title: 'Chatten Sie mit uns',
  dialog: 'Chatfenster',
  messages: 'Nachrichten',
  placeholder: 'Nachricht eingeben…',
  send: 'Nachricht senden',
  intro: 'Sagen Sie uns, wer Sie sind (optional)',
  name: 'Name',
  email: 'E-Mail',
  badEmail: 'Bitte geben Sie eine gültige E-Mail-Adresse ein oder lassen Sie das Feld leer.',
  notSent: 'Ihre Nachricht konnte nicht gesendet werden. Bitte versuchen Sie es erneut.',
  typing: '{name} schreibt…',
  unread: '{n} ungelesen',
  you: 'Sie',
  support: 'Support',
  choices: 'Vorgeschlagene Antworten',
  feedbackQuestion: 'Hat das Ihre Frage beantwortet?',
  yes: 'Ja',
  no: 'Nein',
  feedbackThanks: 'Danke für Ihre Rückmeldung.',
};

const catalog: Record<string, Strings> = { en, es, pt, fr, de };

/** `pt-BR` → pt, `es-419` → es, `fr-CA` → fr; anything unknown → en. */
export function stringsFor(...candidates: (string | undefined)[]): Strings {
  for (const candidate of candidates) {
    const strings = catalog[candidate?.toLowerCase().split(/[-_]/)[0] ?? ''];
    if (strings) return strings;
  }
  return en;
}

export const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));
