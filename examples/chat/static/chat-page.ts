/**
 * The chat page's script (runs in the browser; bundled by chat-page-files.ts with esbuild).
 *
 * Flow: pick a user name → `GET /api/negotiate?userid=<name>` (the webPubSubConnection input binding returns
 * `{ baseUrl, url, accessToken }`) → connect `WebPubSubClient` → send `message` events with `{ text, id }` as json →
 * show every broadcast `{ from, text }` and mark our own message when the handler's ack `{ ack: true, id }` comes back.
 */
import { WebPubSubClient } from '@azure/web-pubsub-client';

// The project compiles for Node (no DOM lib); these are the few browser APIs this page uses.
interface PageElement {
  textContent: string | null;
  className: string;
  hidden: boolean;
  dataset: Record<string, string | undefined>;
  append(...nodes: Array<PageElement | string>): void;
  scrollIntoView(options?: { block?: string }): void;
  querySelector(selector: string): PageElement | null;
}
interface InputElement extends PageElement {
  value: string;
  disabled: boolean;
  focus(): void;
}
interface FormElement extends PageElement {
  addEventListener(type: 'submit', listener: (event: { preventDefault(): void }) => void): void;
}
declare const document: {
  getElementById(id: string): PageElement | null;
  createElement(tag: string): PageElement;
};

function element<T extends PageElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`chat page: #${id} is missing from index.html`);
  return found as T;
}

const loginForm = element<FormElement>('login');
const nameInput = element<InputElement>('name');
const connectButton = element<InputElement>('connect');
const sendForm = element<FormElement>('send');
const messageInput = element<InputElement>('text');
const sendButton = element<InputElement>('send-button');
const statusLine = element<PageElement>('status');
const messages = element<PageElement>('messages');

let client: WebPubSubClient | undefined;
let userName = '';
let counter = 0;

function setStatus(text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
  statusLine.textContent = text;
  statusLine.className = kind;
}

function setConnected(connected: boolean): void {
  messageInput.disabled = !connected;
  sendButton.disabled = !connected;
  nameInput.disabled = connected;
  connectButton.disabled = connected;
  if (connected) messageInput.focus();
}

function addMessage(from: string, text: string, id?: string): PageElement {
  const item = document.createElement('li');
  item.className = id ? 'message mine' : 'message';
  const who = document.createElement('strong');
  who.textContent = from;
  const body = document.createElement('span');
  body.className = 'text';
  body.textContent = text;
  item.append(who, ': ', body);
  if (id) {
    item.dataset.id = id;
    const ack = document.createElement('span');
    ack.className = 'ack pending';
    ack.textContent = 'sending…';
    item.append(' ', ack);
  }
  messages.append(item);
  item.scrollIntoView({ block: 'end' });
  return item;
}

const pending = new Map<string, PageElement>();
/** Texts we sent whose broadcast echo has not come back yet (already shown as "you"). */
const ownEchoes: string[] = [];

function markAck(id: string, text: string, kind: 'sent' | 'acked' | 'failed'): void {
  const ack = pending.get(id)?.querySelector('.ack');
  // The handler's ack can overtake the service's receipt; never downgrade "delivered" to "sent".
  if (ack && !(kind === 'sent' && ack.className.includes('acked'))) {
    ack.textContent = text;
    ack.className = `ack ${kind}`;
  }
}

async function negotiate(name: string): Promise<string> {
  const response = await fetch(`/api/negotiate?userid=${encodeURIComponent(name)}`);
  if (!response.ok) throw new Error(`negotiate failed: HTTP ${response.status}`);
  const body = (await response.json()) as { url?: unknown };
  if (typeof body.url !== 'string') throw new Error('negotiate returned no url');
  return body.url;
}

async function connect(name: string): Promise<void> {
  userName = name;
  setStatus('Negotiating…');
  // A credential rather than a fixed URL: reconnects negotiate a fresh token.
  const next = new WebPubSubClient({ getClientAccessUrl: () => negotiate(name) });
  next.on('connected', (e) => {
    setStatus(`Connected as ${e.userId ?? name}`, 'ok');
    setConnected(true);
  });
  next.on('disconnected', (e) => {
    setStatus(`Disconnected${e.message?.message ? ` (${e.message.message})` : ''}; reconnecting…`, 'error');
    setConnected(false);
  });
  next.on('stopped', () => {
    setStatus('Stopped', 'error');
    setConnected(false);
  });
  next.on('server-message', (e) => {
    const data = e.message.data as { from?: unknown; text?: unknown; ack?: unknown; id?: unknown } | undefined;
    if (!data || typeof data !== 'object') return;
    if (data.ack === true) {
      if (typeof data.id === 'string') markAck(data.id, '✓ delivered', 'acked');
      return;
    }
    if (typeof data.text !== 'string') return;
    const from = typeof data.from === 'string' ? data.from : '?';
    const echo = from === userName ? ownEchoes.indexOf(data.text) : -1;
    if (echo >= 0) ownEchoes.splice(echo, 1);
    else addMessage(from, data.text);
  });
  client = next;
  await next.start();
}

loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = nameInput.value.trim();
  if (!name) {
    setStatus('Pick a user name first', 'error');
    return;
  }
  connectButton.disabled = true;
  connect(name).catch((err: unknown) => {
    setStatus(`Could not connect: ${err instanceof Error ? err.message : String(err)}`, 'error');
    connectButton.disabled = false;
    client = undefined;
  });
});

sendForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = messageInput.value.trim();
  if (!text || !client) return;
  const id = `${userName}-${Date.now().toString(36)}-${++counter}`;
  messageInput.value = '';
  pending.set(id, addMessage(`${userName} (you)`, text, id));
  ownEchoes.push(text);
  client.sendEvent('message', { text, id }, 'json').then(
    () => markAck(id, 'sent, waiting for ack…', 'sent'),
    (err: unknown) => markAck(id, `✘ ${err instanceof Error ? err.message : String(err)}`, 'failed'),
  );
});

setStatus('Not connected');
setConnected(false);
