/**
 * The chat page: the customer's view of the thread, rendered from `/_sandbox/chat/thread` (polled),
 * with every text built through `textContent` (what the workflow sent is never parsed as HTML).
 */
export const CHAT_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Instagram chat — sandbox</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.35 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; background: #fafafa; color: #262626; }
  .app { max-width: 480px; height: 100vh; margin: 0 auto; display: flex; flex-direction: column; background: #fff; border-left: 1px solid #dbdbdb; border-right: 1px solid #dbdbdb; }
  header { display: flex; align-items: center; gap: 10px; padding: 10px 14px; border-bottom: 1px solid #dbdbdb; }
  .avatar { width: 32px; height: 32px; border-radius: 50%; background: linear-gradient(45deg, #f09433, #dc2743, #bc1888); }
  header .name { font-weight: 600; flex: 1; }
  header select { font: inherit; font-size: 12px; max-width: 200px; }
  .banner { background: #fff3cd; color: #664d03; font-size: 13px; padding: 8px 14px; border-bottom: 1px solid #f0e0a0; }
  .thread { flex: 1; overflow-y: auto; padding: 14px; display: flex; flex-direction: column; gap: 6px; }
  .row { display: flex; flex-direction: column; max-width: 78%; }
  .row.customer { align-self: flex-end; align-items: flex-end; }
  .row.business { align-self: flex-start; align-items: flex-start; }
  .bubble { padding: 8px 12px; border-radius: 18px; white-space: pre-wrap; word-wrap: break-word; position: relative; }
  .customer .bubble { background: #3797f0; color: #fff; }
  .business .bubble { background: #efefef; }
  .sticker { font-size: 44px; }
  .reactions { font-size: 13px; background: #fff; border: 1px solid #dbdbdb; border-radius: 10px; padding: 0 5px; margin-top: -6px; }
  .media { width: 220px; height: 160px; border-radius: 14px; background: #efefef center/cover; display: flex; align-items: flex-end; font-size: 11px; color: #8e8e8e; padding: 6px; overflow: hidden; }
  .cards { display: flex; gap: 8px; overflow-x: auto; max-width: 100%; padding-bottom: 4px; }
  .card { flex: 0 0 220px; border: 1px solid #dbdbdb; border-radius: 14px; overflow: hidden; background: #fff; }
  .card .img { height: 110px; background: #efefef center/cover; }
  .card .t { font-weight: 600; padding: 8px 10px 0; }
  .card .s { color: #8e8e8e; font-size: 13px; padding: 2px 10px 8px; }
  .btn { display: block; width: 100%; border: 0; border-top: 1px solid #dbdbdb; background: #fff; color: #0095f6; font: inherit; font-weight: 600; padding: 9px; cursor: pointer; text-align: center; text-decoration: none; }
  .btnbox { border: 1px solid #dbdbdb; border-radius: 14px; overflow: hidden; margin-top: 4px; min-width: 200px; }
  .chips { display: flex; flex-wrap: wrap; gap: 6px; justify-content: flex-end; padding: 6px 14px; }
  .chip { border: 1px solid #3797f0; color: #3797f0; background: #fff; border-radius: 16px; padding: 6px 12px; font: inherit; cursor: pointer; }
  .status { font-size: 11px; color: #8e8e8e; align-self: flex-end; }
  .typing .bubble { color: #8e8e8e; letter-spacing: 2px; }
  form { display: flex; gap: 8px; padding: 10px 14px; border-top: 1px solid #dbdbdb; }
  form input { flex: 1; border: 1px solid #dbdbdb; border-radius: 22px; padding: 9px 14px; font: inherit; }
  form button { border: 0; background: none; color: #0095f6; font: inherit; font-weight: 600; cursor: pointer; }
  .error { color: #ed4956; font-size: 12px; padding: 0 14px 6px; min-height: 1em; }
  .comments { border-bottom: 1px solid #dbdbdb; padding: 8px 14px; font-size: 13px; max-height: 30vh; overflow-y: auto; }
  .comments:empty { display: none; }
  .comment .c { font-weight: 600; }
  .comment .r { padding-left: 18px; color: #555; }
  .entries { display: flex; flex-wrap: wrap; gap: 6px; padding: 6px 14px 0; }
  .entries button { border: 1px solid #dbdbdb; background: #fff; border-radius: 14px; padding: 4px 10px; font: inherit; font-size: 12px; cursor: pointer; }
</style>
</head>
<body>
<div class="app">
  <header><div class="avatar"></div><div class="name" data-testid="account"></div>
    <select data-testid="target" title="Which n8n workflow receives this account's webhooks"></select></header>
  <div class="banner" data-testid="handover" hidden>A person from the team has this conversation now (the human inbox holds the thread); the assistant stays silent until it is handed back.</div>
  <div class="comments" data-testid="comments"></div>
  <div class="thread" data-testid="thread"></div>
  <div class="chips" data-testid="quick-replies"></div>
  <div class="error" data-testid="error"></div>
  <div class="entries" title="Arrive the way people do on Instagram (the composer's text is used where there is one)">
    <button type="button" data-via="comment" data-testid="enter-comment">Comment on a post</button>
    <button type="button" data-via="storyReply" data-testid="enter-storyReply">Reply to a story</button>
    <button type="button" data-via="storyMention" data-testid="enter-storyMention">Mention in a story</button>
    <button type="button" data-via="ad" data-testid="enter-ad">Message from an ad</button>
    <button type="button" data-via="link" data-testid="enter-link">Open an ig.me link</button>
  </div>
  <form data-testid="composer"><input name="text" placeholder="Message…" autocomplete="off" data-testid="message-input"><button type="submit">Send</button></form>
</div>
<script>
const $ = (sel) => document.querySelector(sel);
const customerId = new URLSearchParams(location.search).get('customerId') || '';
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
let lastRendered = '';

async function post(path, body) {
  const res = await fetch('/_sandbox/chat/' + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...body, ...(customerId && { customerId }) }) });
  const json = await res.json().catch(() => ({}));
  $('[data-testid=error]').textContent = res.ok ? '' : (json.error && json.error.message) || ('HTTP ' + res.status);
  if (res.ok && json.delivered && json.delivered !== 200) $('[data-testid=error]').textContent = 'n8n answered the webhook with HTTP ' + json.delivered;
  refresh();
}

function button(b) {
  if (b.type === 'web_url') { const a = el('a', 'btn', b.title); a.href = b.url; a.target = '_blank'; a.rel = 'noopener'; return a; }
  const btn = el('button', 'btn', b.title); btn.dataset.testid = 'postback';
  btn.onclick = () => post('tap', { kind: 'postback', title: b.title, payload: b.payload || '' });
  return btn;
}

function mediaBox(m) {
  const box = el('div', 'media', m.type + (m.url ? '' : ' (uploaded)'));
  box.dataset.testid = 'media';
  if (m.url) box.style.backgroundImage = 'url("' + encodeURI(m.url) + '")';
  else if (m.attachmentId) fetch('/_sandbox/attachments/' + encodeURIComponent(m.attachmentId)).then((r) => r.json()).then((a) => {
    if (a.contentType && a.contentType.startsWith('image/') && a.data) box.style.backgroundImage = 'url("data:' + a.contentType + ';base64,' + a.data + '")';
  }).catch(() => {});
  return box;
}

function render(t) {
  $('[data-testid=account]').textContent = '@' + t.accountUsername;
  $('[data-testid=handover]').hidden = t.heldBy !== 'humanInbox';
  const select = $('[data-testid=target]');
  const names = t.targets.map((x) => x.name).join('|');
  if (select.dataset.names !== names) {
    select.replaceChildren(...t.targets.map((x) => { const o = el('option', '', x.name); o.value = x.name; return o; }));
    select.dataset.names = names;
  }
  const active = t.targets.find((x) => x.active);
  if (active && document.activeElement !== select) select.value = active.name;

  const thread = $('[data-testid=thread]');
  thread.replaceChildren();
  for (const item of t.items) {
    const row = el('div', 'row ' + item.from); row.dataset.testid = item.from === 'customer' ? 'customer-message' : 'business-message';
    if (item.sticker) row.append(el('div', 'sticker', item.sticker));
    for (const m of item.media || []) row.append(mediaBox(m));
    if (item.cards) {
      const cards = el('div', 'cards');
      for (const c of item.cards) {
        const card = el('div', 'card'); card.dataset.testid = 'card';
        const img = el('div', 'img'); if (c.imageUrl) img.style.backgroundImage = 'url("' + encodeURI(c.imageUrl) + '")';
        card.append(img, el('div', 't', c.title));
        if (c.subtitle) card.append(el('div', 's', c.subtitle));
        for (const b of c.buttons) card.append(button(b));
        cards.append(card);
      }
      row.append(cards);
    }
    if (item.text !== undefined && item.text !== '') { const b = el('div', 'bubble', item.text); b.dataset.testid = 'text'; row.append(b); }
    if (item.buttons && item.buttons.length) { const box = el('div', 'btnbox'); for (const b of item.buttons) box.append(button(b)); row.append(box); }
    if (item.reactions.length) row.append(el('div', 'reactions', item.reactions.join(' ')));
    thread.append(row);
  }
  if (t.seen) { const s = el('div', 'status', 'Seen'); s.dataset.testid = 'seen'; thread.append(s); }
  if (t.typing) { const r = el('div', 'row business typing'); r.dataset.testid = 'typing'; r.append(el('div', 'bubble', '•••')); thread.append(r); }

  const chips = $('[data-testid=quick-replies]');
  chips.replaceChildren();
  const last = t.items[t.items.length - 1];
  if (last && last.from === 'business' && last.quickReplies) for (const q of last.quickReplies) {
    const chip = el('button', 'chip', q.title); chip.dataset.testid = 'quick-reply';
    chip.onclick = () => post('tap', { kind: 'quickReply', title: q.title, payload: q.payload });
    chips.append(chip);
  }
  thread.scrollTop = thread.scrollHeight;

  const comments = $('[data-testid=comments]');
  comments.replaceChildren(...(t.comments || []).map((c) => {
    const box = el('div', 'comment'); box.dataset.testid = 'comment';
    box.append(el('div', 'c', 'You commented on “' + c.post + '”: ' + c.text + (c.hidden ? ' (hidden)' : '')));
    for (const r of c.replies) { const line = el('div', 'r', (r.byAccount ? '@' + t.accountUsername + ': ' : '') + r.text); line.dataset.testid = 'comment-reply'; box.append(line); }
    return box;
  }));
}

async function refresh() {
  try {
    const res = await fetch('/_sandbox/chat/thread' + (customerId ? '?customerId=' + encodeURIComponent(customerId) : ''));
    const text = await res.text();
    if (text !== lastRendered) { lastRendered = text; render(JSON.parse(text)); }
  } catch (e) { $('[data-testid=error]').textContent = 'sandbox unreachable'; }
}

$('[data-testid=composer]').onsubmit = (e) => {
  e.preventDefault();
  const input = $('[data-testid=message-input]');
  const text = input.value.trim();
  if (text) { input.value = ''; post('say', { text }); }
};
for (const b of document.querySelectorAll('.entries button')) b.onclick = () => {
  const input = $('[data-testid=message-input]');
  const text = input.value.trim();
  input.value = '';
  post('enter', { via: b.dataset.via, ...(text && { text }) });
};
$('[data-testid=target]').onchange = (e) => post('target', { name: e.target.value });
refresh();
setInterval(refresh, 600);
</script>
</body>
</html>
`;
