/** Shapes the widget exchanges with the server (the contract's widget API and realtime events). */

export type Sender = { type: 'contact' | 'bot' | 'agent'; id: number | null; name: string | null };

export type Message = {
  id: number;
  conversation_id: number;
  content: string;
  message_type: 'incoming' | 'outgoing' | 'activity';
  private: boolean;
  sender: Sender;
  created_at: string;
};

export type Position = 'bottom_left' | 'bottom_right';

/** What a site owner sets on the page (camelCase, as `window.novaChatSettings` uses). */
export type PageSettings = {
  position?: Position;
  color?: string;
  title?: string;
  launcherText?: string;
  locale?: string;
};

/** GET /api/v1/widget/config */
export type ServerConfig = {
  website_url: string;
  widget_settings: { position?: Position; color?: string; title?: string; launcher_text?: string; locale?: string };
  ai_agent: { bot_name: string; greeting_message: string } | null;
};

export type RealtimeEvent = {
  id: number | null;
  type: string;
  conversation_id: number | null;
  data: {
    message?: Message;
    conversation?: { id: number; status: string };
    typing?: boolean;
    sender?: { type: string; name: string | null };
  };
};

/** What survives a reload, in localStorage under the website token. */
export type Session = { conversation_id: number; conversation_token: string; last_event_id: number };

export type Contact = { name?: string; email?: string };
