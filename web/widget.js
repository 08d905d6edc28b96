/* Switchboard chat widget: one plain JS file, no build step, no dependencies.
 * Embed: <script src="https://support.example.com/widget.js" async></script>
 * Optional attributes of that script tag:
 *  data-locale="tr"  language asked for in hello (default: navigator.language)
 *  data-server="http://127.0.0.1:8090"  Switchboard origin when widget.js is served elsewhere
 *                    (default: the origin of the script's src, else the page's)
 *  data-color="#2f54eb"  accent colour
 * Protocol: PROTOCOL.md "Customer channel" and docs/protocol.md. localStorage keys:
 * switchboard.session (resume token), switchboard.outbox (messages not acked yet),
 * switchboard.transcript (the newest 300 entries: a reload shows them and resumes after them),
 * switchboard.open (the panel was open: it opens again on the next page of the site). */
(() => {
'use strict';
if (window.__switchboardWidget) return;
window.__switchboardWidget = 1;
const d = document, S = d.currentScript || d.querySelector('script[src*="widget.js"]') || {}, ds = S.dataset || {};
// Interface texts, one line per language, fields in the order of K; {x}: a value; plural
// fields are "category=text;..." (Intl.PluralRules categories), # is the number.
const K = 't close end ph send rec typ agent q q1 q0 wait asg off em emok sv star cm svs ended'.split(' ');
const T = {
en:'Chat with us|Close chat window|End chat|Type your message…|Send|Reconnecting…|{name} is typing…|Support agent|You’re number {n} in the queue|You’re next in the queue|You’re in the queue|one=about # minute;other=about # minutes|You’re chatting with {name}|Support is offline until {time}|Leave your email address and we’ll get back to you.|Thank you! We’ll reply to {email}.|How would you rate this chat?|one=# star;other=# stars|Comment (optional)|Send rating|Chat ended',
tr:'Bize yazın|Sohbet penceresini kapat|Sohbeti sonlandır|Mesajınızı yazın…|Gönder|Yeniden bağlanılıyor…|{name} yazıyor…|Müşteri temsilcisi|Sırada {n}. kişisiniz|Sıradaki kişi sizsiniz|Sırada bekliyorsunuz|other=yaklaşık # dakika|{name} ile görüşüyorsunuz|Destek ekibimize {time} itibarıyla yeniden ulaşabilirsiniz|E-posta adresinizi bırakın, size geri dönelim.|Teşekkür ederiz! Size {email} adresinden ulaşacağız.|Bu görüşmeyi nasıl değerlendirirsiniz?|other=# yıldız|Yorumunuz (isteğe bağlı)|Değerlendirmeyi gönder|Sohbet sona erdi',
el:'Συνομιλήστε μαζί μας|Κλείσιμο παραθύρου συνομιλίας|Τερματισμός συνομιλίας|Γράψτε το μήνυμά σας…|Αποστολή|Επανασύνδεση…|{name}: πληκτρολογεί…|Εκπρόσωπος εξυπηρέτησης|Η θέση σας στη σειρά αναμονής: {n}|Η σειρά σας έρχεται αμέσως μετά|Βρίσκεστε στη σειρά αναμονής|one=περίπου # λεπτό;other=περίπου # λεπτά|Συνομιλείτε με: {name}|Η ομάδα υποστήριξης θα είναι ξανά διαθέσιμη: {time}|Αφήστε μας το email σας και θα επικοινωνήσουμε μαζί σας.|Σας ευχαριστούμε! Θα σας απαντήσουμε στο {email}.|Πώς θα αξιολογούσατε αυτή τη συνομιλία;|one=# αστέρι;other=# αστέρια|Σχόλιο (προαιρετικό)|Υποβολή αξιολόγησης|Η συνομιλία ολοκληρώθηκε',
ms:'Sembang dengan kami|Tutup tetingkap sembang|Tamatkan sembang|Taip mesej anda…|Hantar|Menyambung semula…|{name} sedang menaip…|Ejen khidmat pelanggan|Anda di tempat ke-{n} dalam giliran|Anda orang seterusnya dalam giliran|Anda dalam giliran|other=kira-kira # minit|Anda sedang berbual dengan {name}|Pasukan sokongan kami di luar talian sehingga {time}|Sila tinggalkan alamat e-mel anda dan kami akan menghubungi anda.|Terima kasih! Kami akan membalas ke {email}.|Bagaimanakah penilaian anda terhadap sembang ini?|other=# bintang|Komen (pilihan)|Hantar penilaian|Sembang telah tamat',
lv:'Rakstiet mums|Aizvērt tērzēšanas logu|Beigt sarunu|Ierakstiet savu ziņu…|Sūtīt|Atjauno savienojumu…|{name} raksta…|Klientu atbalsta speciālists|Jūsu vieta rindā: {n}|Nākamā kārta ir Jūsu|Jūs esat rindā|zero=apmēram # minūtes;one=apmēram # minūte;other=apmēram # minūtes|Jums atbild {name}|Klientu atbalsts atkal būs pieejams: {time}|Atstājiet savu e-pasta adresi, un mēs ar Jums sazināsimies.|Paldies! Mēs Jums atbildēsim uz {email}.|Kā Jūs novērtētu šo sarunu?|zero=# zvaigžņu;one=# zvaigzne;other=# zvaigznes|Komentārs (nav obligāts)|Nosūtīt vērtējumu|Saruna ir beigusies',
de:'Chatten Sie mit uns|Chatfenster schließen|Chat beenden|Schreiben Sie Ihre Nachricht …|Senden|Verbindung wird wiederhergestellt …|{name} schreibt …|Kundenservice|Sie sind Nummer {n} in der Warteschlange|Sie sind als Nächstes an der Reihe|Sie sind in der Warteschlange|one=ca. # Minute;other=ca. # Minuten|Sie chatten mit {name}|Unser Kundenservice ist ab {time} wieder für Sie da|Hinterlassen Sie uns Ihre E-Mail-Adresse, wir melden uns bei Ihnen.|Vielen Dank! Wir antworten Ihnen an {email}.|Wie bewerten Sie diesen Chat?|one=# Stern;other=# Sterne|Kommentar (optional)|Bewertung senden|Chat beendet',
fr:'Discutez avec nous|Fermer la fenêtre de chat|Terminer la conversation|Écrivez votre message…|Envoyer|Reconnexion…|{name} est en train d’écrire…|Conseiller|Vous êtes n° {n} dans la file d’attente|C’est bientôt à vous|Vous êtes dans la file d’attente|one=environ # minute;other=environ # minutes|Vous discutez avec {name}|Notre service client est fermé jusqu’au {time}|Laissez-nous votre adresse e-mail et nous vous recontacterons.|Merci ! Nous vous répondrons à l’adresse {email}.|Comment évaluez-vous cette conversation ?|one=# étoile;other=# étoiles|Commentaire (facultatif)|Envoyer l’évaluation|Conversation terminée',
es:'Escríbanos|Cerrar la ventana del chat|Finalizar el chat|Escriba su mensaje…|Enviar|Reconectando…|{name} está escribiendo…|Agente de atención al cliente|Ocupa el puesto {n} en la cola|Le atenderemos a continuación|Está en la cola de espera|one=aprox. # minuto;other=aprox. # minutos|Le atiende {name}|Nuestro equipo de atención no está disponible hasta el {time}|Déjenos su correo electrónico y le responderemos.|¡Gracias! Le responderemos en {email}.|¿Cómo valoraría esta conversación?|one=# estrella;other=# estrellas|Comentario (opcional)|Enviar valoración|Chat finalizado',
ru:'Напишите нам|Закрыть окно чата|Завершить чат|Введите сообщение…|Отправить|Восстанавливаем соединение…|{name} печатает…|Сотрудник поддержки|Ваш номер в очереди: {n}|Ваша очередь — следующая|Вы в очереди|one=около # минуты;few=около # минут;many=около # минут;other=около # минуты|Вам отвечает {name}|Служба поддержки снова будет доступна: {time}|Оставьте, пожалуйста, Ваш адрес электронной почты, и мы Вам ответим.|Спасибо! Мы ответим Вам на {email}.|Как бы Вы оценили этот чат?|one=# звезда;few=# звезды;many=# звёзд;other=# звезды|Комментарий (необязательно)|Отправить оценку|Чат завершён'
};
for (const l in T) {
 const o = {};
 T[l].split('|').forEach((v, i) => { o[K[i]] = /=/.test(v) ? Object.fromEntries(v.split(';').map(x => x.split('='))) : v; });
 T[l] = o;
}
const pick = l => (l = String(l || '').toLowerCase().split(/[-_]/)[0], T[l] ? l : 'en');
const want = ds.locale || navigator.language || 'en';
let loc, L, pr;
const setLoc = l => { loc = pick(l); L = T[loc]; pr = new Intl.PluralRules(loc); };
setLoc(want);
const num = n => n.toLocaleString(loc);
const fmt = (k, o) => L[k].replace(/\{(\w+)\}/g, (_, x) => o[x]);
const pl = (k, n) => { const v = L[k]; return (v[pr.select(n)] || v.other).replace('#', num(n)); };
// dates in the user's regional variant when it is the chat's language (de-AT for de)
const when = (iso, o) => {
 const t = new Date(iso), n = navigator.language || '';
 try { return iso && !isNaN(t) ? new Intl.DateTimeFormat(pick(n) === loc ? n : loc, o).format(t) : ''; } catch (e) { return t.toLocaleString(); }
};
const sget = k => { try { return localStorage.getItem(k); } catch (e) {} };
const sset = (k, v) => { try { v ? localStorage.setItem(k, v) : localStorage.removeItem(k); } catch (e) {} };
const KS = 'switchboard.session', KO = 'switchboard.outbox', KT = 'switchboard.transcript', KP = 'switchboard.open', KEPT = 300;
let base = location.origin;
try { base = new URL(ds.server || S.src || location.href, location.href).origin; } catch (e) {}
const rid = () => 'w' + Array.from(crypto.getRandomValues(new Uint8Array(12)), b => (b + 256).toString(16).slice(1)).join('');
// h('div', {class, text, attribute: value}, ...children)
const h = (tag, p, ...kids) => {
 const e = d.createElement(tag);
 for (const k in p) {
  const v = p[k];
  if (k == 'class') e.className = v;
  else if (k == 'text') e.textContent = v;
  else if (v != null && v !== false) e.setAttribute(k, v === true ? '' : v);
 }
 e.append(...kids);
 return e;
};
// & = "#sb-root ": every rule is scoped and outranks the host page's element rules
const CSS = `#sb-root{--c:${/^#\w{3,8}$/.test(ds.color) ? ds.color : '#2f54eb'};font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c2330}
&*{box-sizing:border-box;font:inherit;color:inherit;margin:0}
&[hidden]{display:none!important}
&button{cursor:pointer;border:0;background:none}
&:focus-visible{outline:2px solid var(--c);outline-offset:2px}
&#sb-launcher{position:fixed;right:20px;bottom:20px;width:58px;height:58px;border-radius:50%;background:var(--c);color:#fff;box-shadow:0 6px 20px #1e2a5050;z-index:2147483000;display:grid;place-items:center}
&#sb-badge{position:absolute;top:-3px;right:-3px;min-width:20px;border-radius:10px;background:#d92d20;font-size:12px;font-weight:700;line-height:20px}
&#sb-panel{position:fixed;right:20px;bottom:92px;width:380px;height:min(640px,calc(100vh - 112px));background:#fff;border-radius:16px;box-shadow:0 12px 48px #1e2a5048;display:flex;flex-direction:column;overflow:hidden;z-index:2147483001}
&.sb-head{display:flex;align-items:center;padding:12px 10px 12px 18px;background:var(--c);color:#fff;}
&h2{flex:1;font-size:17px;font-weight:600}
&.sb-head :focus-visible{outline-color:#fff}
&.sb-ib{width:36px;height:36px;border-radius:8px;display:grid;place-items:center}
&.sb-ib:hover{background:#fff3}
&#sb-end{font-size:12.5px;padding:3px 10px;margin-right:4px;border:1px solid #fff8;border-radius:12px}
&#sb-end:hover{background:#fff3}
&#sb-conn{background:#fff4d6;color:#7a5200;font-size:13px;padding:6px 18px}
&#sb-status{background:#eef2ff;color:#23306b;font-size:13.5px;padding:8px 18px}
&#sb-email{margin-top:6px;display:flex;gap:6px;flex-wrap:wrap}
&#sb-email label{width:100%}
&input,&textarea{flex:1;border:1px solid #cfd5e1;border-radius:10px;padding:8px 11px;background:#fff;min-width:0}
&input:focus,&textarea:focus{border-color:var(--c);outline:1px solid var(--c)}
&.sb-btn{border-radius:10px;background:var(--c);color:#fff;padding:8px 14px;font-weight:600}
&:disabled{opacity:.45;cursor:default}
&#sb-log{flex:1;overflow-y:auto;padding:16px 14px;display:flex;flex-direction:column;gap:10px;background:#f6f7fb}
&.sb-msg{display:flex;flex-direction:column;align-items:flex-start;max-width:86%}
&.sb-bubble{padding:9px 13px;border-radius:16px 16px 16px 5px;white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #e3e6ee}
&[data-from=customer]{align-self:flex-end;align-items:flex-end}
&[data-from=customer] .sb-bubble{background:var(--c);color:#fff;border:0;border-radius:16px 16px 5px}
&[data-from=agent] .sb-bubble{background:#e8f7ef;border-color:#c5e8d4}
&.sb-name{font-size:12px;font-weight:600;color:#23764a;margin:0 0 3px 4px}
&[data-from=system]{align-self:center;text-align:center}
&[data-from=system] .sb-bubble{background:none;border:0;color:#667085;font-size:13px;padding:2px}
&.sb-pending{opacity:.6}
&.sb-qr{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}
&.sb-quick{border:1px solid var(--c);color:var(--c);background:#fff;border-radius:16px;padding:5px 12px;font-size:14px}
&.sb-quick:hover:enabled,&.sb-chosen{background:var(--c);color:#fff;opacity:.9}
&.sb-qr .sb-fb{font-size:12.5px;padding:2px 10px;border-color:#c3c9d6;color:#475067}
&.sb-fb-yes:before{content:"✓ "}
&.sb-fb-no:before{content:"✕ "}
&ul{list-style:none;padding:0;margin-top:6px}
&.sb-article{color:var(--c);font-size:14px}
&.sb-article:after{content:" ↗"}
&.sb-divider{align-self:stretch;display:flex;gap:10px;font-size:12px;color:#8a93a6}
&.sb-divider:before,&.sb-divider:after{content:"";flex:1;margin:auto;border-top:1px solid #dde1ea}
&#sb-typing{padding:2px 18px 8px;font-size:13px;color:#667085;background:#f6f7fb}
&i{display:inline-block;width:5px;height:5px;margin-right:3px;border-radius:50%;background:#98a2b3;animation:sbb 1.2s infinite}
&i+i{animation-delay:.2s}&i+i+i{animation-delay:.4s}
@keyframes sbb{30%{transform:translateY(-3px);opacity:.4}}
&#sb-notice{margin:8px 12px 0;padding:8px 12px;background:#fdecec;color:#9b1c1c;border-radius:8px;font-size:13px}
&.sb-compose{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid #e7e9f0}
&#sb-input{resize:none;max-height:120px;height:40px;line-height:1.4;border-radius:12px}
&#sb-send{width:40px;height:40px;border-radius:50%;background:var(--c);color:#fff;flex:none;display:grid;place-items:center}
&#sb-survey{background:#fff;border:1px solid #e3e6ee;border-radius:14px;padding:14px;display:flex;flex-direction:column;gap:8px}
&#sb-survey label{font-size:13px;color:#475067}
&.sb-star{font-size:28px;line-height:1;color:#cdd2dc;padding:2px 3px;border-radius:6px}
&p:hover>.sb-star,&.sb-on{color:#f5a623}
&.sb-star:hover~.sb-star{color:#cdd2dc}
&.sb-thanks{font-weight:600;text-align:center}
&.sb-vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:480px){&#sb-panel{inset:0;width:auto;height:auto;border-radius:0}#sb-root.sb-open #sb-launcher{display:none}&#sb-input{font-size:16px}}
@media (prefers-reduced-motion:reduce){&i{animation:none}}`.replace(/&/g, '#sb-root ');

// == DOM: our own static markup; server text only ever goes in via textContent
const svg = p => `<svg viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true">${p}</svg>`;
const root = h('div', {id:'sb-root'});
root.innerHTML = `<style>${CSS}</style><div id="sb-panel" role="dialog" hidden><div class="sb-head"><h2></h2>
<button type="button" id="sb-end"></button>
<button type="button" class="sb-ib" id="sb-close">${svg('<path d="M6 6l12 12M18 6L6 18"/>')}</button></div>
<div id="sb-conn" role="status" hidden></div>
<div id="sb-status" aria-live="polite" hidden><div></div><form id="sb-email" hidden><label for="sb-email-input"></label><input id="sb-email-input" type="email" required autocomplete="email" placeholder="name@example.com" maxlength="254"><button class="sb-btn"></button></form><div></div></div>
<div id="sb-log" role="log" aria-live="polite" tabindex="0"></div>
<div id="sb-typing" aria-live="polite" hidden><span aria-hidden="true"><i></i><i></i><i></i></span><span></span></div>
<div id="sb-notice" role="alert" hidden></div>
<form class="sb-compose"><label for="sb-input" class="sb-vh"></label><textarea id="sb-input" rows="1" maxlength="4000"></textarea><button id="sb-send">${svg('<path d="M22 2L11 13M22 2l-7 20-4-9-9-4z"/>')}</button></form></div>
<button type="button" id="sb-launcher" aria-expanded="false" aria-controls="sb-panel">${svg('<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.6A8 8 0 1 1 21 12z"/>')}<span id="sb-badge" hidden></span></button>`;
const $ = s => root.querySelector(s);
const panel = $('#sb-panel'), launcher = $('#sb-launcher'), badge = $('#sb-badge'), closeBtn = $('#sb-close');
const endBtn = $('#sb-end'), conn = $('#sb-conn'), status = $('#sb-status'), emailForm = $('#sb-email');
const emInput = $('#sb-email-input'), log = $('#sb-log'), typing = $('#sb-typing'), notice = $('#sb-notice'), compose = $('.sb-compose');
const input = $('#sb-input'), sendBtn = $('#sb-send'), [stText, , emDone] = status.children;
function texts() {
 root.lang = loc;
 $('h2').textContent = L.t;
 panel.setAttribute('aria-label', L.t);
 launcher.setAttribute('aria-label', panel.hidden ? L.t : L.close);
 for (const [b, k] of [[closeBtn, 'close'], [sendBtn, 'send']]) b.setAttribute('aria-label', b.title = L[k]);
 endBtn.textContent = L.end;
 input.placeholder = $('.sb-vh').textContent = L.ph;
 conn.textContent = L.rec;
 emailForm.firstChild.textContent = L.em;
 emailForm.lastChild.textContent = L.send;
 strip();
}

// == state
let ws, ready, attempt = 0, rT, hb, lastRx, lastSent, q = [], tok = 20, tl = Date.now(), pT;
let maxSeq = 0, welcomeLast = 0, hs, agentNm, emailSent, sv, unread = 0, tyT, nT, typOn, typT, outbox;
const seen = new Set(), pend = new Map(), withdrawn = {};
try { outbox = JSON.parse(sget(KO)); } catch (e) {}
if (!Array.isArray(outbox)) outbox = [];
const saveOut = () => sset(KO, outbox.length && JSON.stringify(outbox));
// The transcript kept across reloads, for the session it belongs to.
let kept = [], keptT;
try { const c = JSON.parse(sget(KT)); if (c && c.s && c.s == sget(KS) && Array.isArray(c.e)) kept = c.e; } catch (e) {}
const keep = m => {
 kept.push(m);
 if (kept.length > KEPT) kept.splice(0, kept.length - KEPT);
 keptT = keptT || setTimeout(() => { keptT = 0; sset(KT, kept.length && JSON.stringify({s:sget(KS), e:kept})); }, 300);
};
const dropOut = id => { const n = outbox.length; outbox = outbox.filter(o => o.id != id); outbox.length < n && saveOut(); };
const frameOf = o => o.type == 'choice' ? {type:'choice', id:o.id, value:o.value} : {type:'message', id:o.id, text:o.text};
const agentName = () => (hs && hs.agent && hs.agent.name) || agentNm || L.agent;
const isLive = f => /^(typing|ping|message|choice)$/.test(f.type); // dropped on disconnect, rebuilt after

// == sending: a token bucket below the server's budget (10/s, burst 30)
function out(f) {
 if (ready || !/^(typing|ping)$/.test(f.type)) q.push(f), pump();
}
function pump() {
 clearTimeout(pT);
 const n = Date.now();
 tok = Math.min(20, tok + (n - tl) / 125); tl = n;
 for (; ready && q.length && tok >= 1; tok--) {
  const f = q.shift();
  ws.send(JSON.stringify(f));
  if (f.type == 'message') lastSent = {id:f.id, t:n};
 }
 if (ready && q.length) pT = setTimeout(pump, 130);
}

// == connection: hello (resume), reconnect after 1 s, 2 s, 4 s ... 30 s
function connect() {
 if (ws || rT) return;
 let s;
 try { s = ws = new WebSocket(base.replace(/^http/, 'ws') + '/v1/chat'); } catch (e) { return retry(); }
 s.onopen = () => {
  const f = {type:'hello', locale:want}, tk = sget(KS);
  try { const z = Intl.DateTimeFormat().resolvedOptions().timeZone; if (z) f.timezone = z; } catch (x) {} // hours in the customer's own time
  if (tk) f.resume = tk, f.last_seq = maxSeq; // the newest entry kept across reloads, else 0
  s.send(JSON.stringify(f));
 };
 s.onmessage = e => {
  let m;
  lastRx = Date.now();
  try { m = JSON.parse(e.data); } catch (x) {}
  if (m && ws == s) onFrame(m);
 };
 s.onclose = () => ws == s && lost();
}
function lost() {
 ws.onclose = ws.onmessage = null;
 ws.close();
 ws = ready = null;
 clearInterval(hb); hideTyping();
 q = q.filter(f => !isLive(f));
 retry();
}
function retry() {
 conn.hidden = false;
 rT = setTimeout(() => { rT = 0; connect(); }, Math.min(30, 2 ** attempt++) * 1e3);
}
const now = () => { if (rT) { clearTimeout(rT); rT = 0; connect(); } };
addEventListener('online', now);

function onFrame(m) {
 const t = m.type;
 if (t == 'welcome') welcome(m);
 else if (/^(message|handoff|closed)$/.test(t)) entry(m);
 else if (t == 'ack') ack(m);
 else if (t == 'typing') m.on ? showTyping() : hideTyping();
 else if (t == 'error') error(m);
}
function welcome(m) {
 ready = true; attempt = 0; conn.hidden = true;
 if (m.session) sset(KS, m.session);
 if (!m.resumed && seen.size) { // token unknown to the server: a new conversation
  for (const c of [...log.children]) c.dataset.id || c.remove();
  seen.clear(); maxSeq = 0; hs = sv = null; kept = []; sset(KT, null);
 }
 welcomeLast = m.last_seq || 0;
 setLoc(m.locale || want);
 texts();
 q = [...outbox.map(frameOf), ...q.filter(f => !isLive(f))]; // resend the unacked, same ids
 pump();
 hb = setInterval(() => Date.now() - lastRx > 45e3 ? lost() : out({type:'ping'}), 25e3);
}

// == transcript: one element per seq, in seq order; pending bubbles last
function place(el) {
 const s = el.dataset.seq, near = log.scrollHeight - log.scrollTop - log.clientHeight < 90;
 let ref = null;
 el.remove();
 if (s) for (const c of log.children) if (c.dataset.id || +c.dataset.seq > s) { ref = c; break; }
 log.insertBefore(el, ref);
 if (near || el.dataset.from == 'customer' || el == sv) log.scrollTop = log.scrollHeight;
}
const seenSeq = n => { seen.add(n); if (n > maxSeq) maxSeq = n; };
function entry(m) {
 const n = m.seq;
 if (typeof n != 'number' || seen.has(n)) return;
 seenSeq(n);
 keep(m);
 endBtn.hidden = m.type == 'closed'; // ended: nothing to end until the next message
 if (m.type == 'message') return m.from == 'customer' && pend.has(m.id) ? confirm(m.id, n) : message(m, n > welcomeLast);
 hideTyping();
 if (m.type == 'handoff') {
  place(h('div', {class:'sb-event', 'data-seq':n, hidden:true}));
  if (m.agent && m.agent.name) agentNm = m.agent.name;
  hs = m.status == 'returned_to_bot' ? null : m;
  if (m.status == 'offline') emailSent = '';
 } else {
  place(h('div', {class:'sb-divider', 'data-seq':n}, L.ended));
  hs = null;
  if (m.survey && n >= welcomeLast) survey(); // the latest close only, not old ones in a replay
 }
 strip();
}
const bubble = (from, text) => h('div', {class:'sb-msg', 'data-from':from}, h('div', {class:'sb-bubble', text}));
function message(m, live) {
 const from = /^(customer|bot|agent)$/.test(m.from) ? m.from : 'system', el = bubble(from, m.text || '');
 el.dataset.seq = m.seq;
 if (m.locale) el.lang = m.locale;
 if (from == 'agent') {
  if (m.agent && m.agent.name) agentNm = m.agent.name;
  el.prepend(h('div', {class:'sb-name', text:agentName()}));
  hideTyping();
 }
 if (m.quick_replies && m.quick_replies.length) el.append(quick(m.quick_replies));
 if (m.articles && m.articles.length) el.append(h('ul', {}, ...m.articles.map(r => {
  let u;
  try {
   u = new URL(r.url, base);
   // Switchboard's own help pages open in the language of the answer.
   if (u.origin == base && m.locale && !u.searchParams.has('lang')) u.searchParams.set('lang', m.locale);
   u = /^https?:$/.test(u.protocol) ? u.href : null;
  } catch (e) {}
  return h('li', {}, h('a', {class:'sb-article', href:u, target:'_blank', rel:'noopener', text:r.title || r.url}));
 })));
 if (from == 'customer') said(m.text); else if (from != 'system') dropSurvey();
 place(el);
 if (live && panel.hidden && from != 'customer') badge.textContent = ++unread, badge.hidden = false;
}
// A customer turn retires the earlier quick replies (marking the one it is the label of).
function said(text) {
 for (const g of log.querySelectorAll('.sb-qr:not([data-done])')) {
  g.dataset.done = 1;
  for (const b of g.children) b.disabled = true, b.textContent == text && b.classList.add('sb-chosen');
 }
 dropSurvey();
 const v = String(text).trim();
 if (hs && hs.status == 'offline' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) emailSent = v, strip();
}
function quick(list) {
 const g = h('div', {class:'sb-qr', role:'group'});
 for (const r of list) {
  const v = String(r.value), fb = /^feedback:(yes|no)$/.exec(v), text = r.label || v;
  const b = h('button', {type:'button', class:'sb-quick' + (fb ? ' sb-fb sb-fb-' + fb[1] : ''), 'data-value':v, text});
  b.onclick = () => {
   send({type:'choice', id:rid(), value:v, text}); // retires this group too
   b.classList.add('sb-chosen');
   input.focus();
  };
  g.append(b);
 }
 return g;
}
function pending(o) {
 const el = bubble('customer', o.text);
 el.className += ' sb-pending';
 el.dataset.id = o.id;
 pend.set(o.id, el);
 return el;
}
// Each customer message/choice: a bubble at once, in the outbox until acked.
function send(o) {
 said(o.text);
 outbox.push(o); saveOut();
 place(pending(o));
 out(frameOf(o));
}
function confirm(id, n) {
 const el = pend.get(id);
 pend.delete(id); dropOut(id);
 if (el) el.classList.remove('sb-pending'), delete el.dataset.id, el.dataset.seq = n, place(el);
}
function ack({id, seq: n}) {
 const o = outbox.find(x => x.id == id) || withdrawn[id];
 if (typeof n != 'number') return;
 if (seen.has(n)) { // already shown by a replay: drop a duplicate bubble, if any
  if (pend.has(id)) pend.get(id).remove(), pend.delete(id);
  return dropOut(id);
 }
 seenSeq(n);
 if (!pend.has(id) && o) { // acked although taken back, or sent by an earlier page
  pending(o);
  if (withdrawn[id] && input.value.trim() == o.text) input.value = '';
 }
 // The server acks the sender instead of echoing: keep the entry it would have sent.
 if (o) keep({type:'message', seq:n, from:'customer', text:o.text, id, locale:loc});
 confirm(id, n);
}
// The server refused a message: its text goes back into the input, nothing typed is lost.
function withdraw(id) {
 const o = outbox.find(x => x.id == id);
 pend.get(id).remove();
 pend.delete(id); dropOut(id);
 if (o && o.type == 'message') {
  withdrawn[id] = o;
  if (input.value.trim() != o.text) input.value = input.value ? o.text + '\n' + input.value : o.text;
  size();
 }
}
function error(m) {
 // rate_limited has no id: it is the message just sent, if that is still unacked
 if (m.code == 'rate_limited') lastSent && Date.now() - lastSent.t < 3e3 && pend.has(lastSent.id) && withdraw(lastSent.id);
 else if (pend.has(m.id)) withdraw(m.id);
 if (m.message) {
  notice.textContent = m.message; notice.hidden = false;
  clearTimeout(nT); nT = setTimeout(() => notice.hidden = true, 7e3);
 }
}

// == status strip, typing
function strip() {
 const {status: s, position: p, estimated_wait_s: w, opens_at} = hs || {}, off = s == 'offline';
 let t = '';
 if (s == 'queued') {
  t = typeof p == 'number' ? (p > 1 ? fmt('q', {n:num(p)}) : L.q1) : L.q0;
  if (typeof w == 'number') t += ' · ' + pl('wait', Math.max(1, Math.ceil(w / 60))); // never rounded down
 } else if (s == 'assigned') t = fmt('asg', {name:agentName()});
 else if (off && (t = when(opens_at, {weekday:'long', day:'numeric', month:'long', hour:'numeric', minute:'2-digit', timeZoneName:'short'}))) t = fmt('off', {time:t});
 const near = log.scrollHeight - log.scrollTop - log.clientHeight < 90;
 stText.textContent = t;
 status.hidden = !t && !off;
 emailForm.hidden = !off || !!emailSent;
 emDone.textContent = off && emailSent ? fmt('emok', {email:emailSent}) : '';
 if (near) log.scrollTop = log.scrollHeight;
}
function showTyping() {
 typing.lastChild.textContent = fmt('typ', {name:agentName()});
 typing.hidden = false;
 clearTimeout(tyT); tyT = setTimeout(hideTyping, 3e4);
}
function hideTyping() { typing.hidden = true; }

// == survey after closed
function survey() {
 if (sv) sv.remove();
 let score = 0;
 const stars = [1, 2, 3, 4, 5].map(n => h('button', {type:'button', class:'sb-star', 'data-score':n, 'aria-label':pl('star', n), 'aria-pressed':false}, '★'));
 const cm = h('textarea', {id:'sb-comment', rows:2, maxlength:4000}), sub = h('button', {class:'sb-btn', disabled:true, text:L.svs});
 const f = sv = h('form', {id:'sb-survey', 'aria-label':L.sv}, h('p', {text:L.sv}), h('p', {role:'group'}, ...stars), h('label', {for:'sb-comment', text:L.cm}), cm, sub);
 for (const b of stars) b.onclick = () => {
  score = +b.dataset.score;
  for (const x of stars) x.classList.toggle('sb-on', x.dataset.score <= score), x.setAttribute('aria-pressed', x == b);
  sub.disabled = false;
 };
 f.onsubmit = e => {
  e.preventDefault();
  const r = {type:'rating', score}, c = cm.value.trim();
  if (c) r.comment = c;
  out(r);
  f.dataset.done = 1;
  // The server's thank-you arrives as a message in the log; one is enough.
  f.remove();
  input.focus();
 };
 place(f);
}
function dropSurvey() { if (sv && !sv.dataset.done) sv.remove(), sv = null; }

// == input: Enter sends, Shift+Enter breaks the line; typing on, off after 3 s idle
function size() { input.style.height = 'auto'; input.style.height = Math.min(input.scrollHeight + 2, 120) + 'px'; }
function typingOff() { clearTimeout(typT); if (typOn) typOn = false, out({type:'typing', on:false}); }
input.oninput = () => {
 size();
 if (!input.value.trim()) return typingOff();
 if (!typOn && ready) typOn = true, out({type:'typing', on:true});
 clearTimeout(typT); typT = setTimeout(typingOff, 3e3);
};
input.onkeydown = e => { if (e.key == 'Enter' && !e.shiftKey && !e.isComposing) e.preventDefault(), submit(); };
compose.onsubmit = e => { e.preventDefault(); submit(); };
function submit() {
 const t = input.value.trim();
 if (!t) return;
 input.value = ''; size(); typingOff();
 send({type:'message', id:rid(), text:t});
 input.focus();
}
emailForm.onsubmit = e => {
 e.preventDefault();
 send({type:'message', id:rid(), text:emInput.value.trim()}); emInput.value = '';
};

// == panel, keyboard
function openPanel(restored) {
 panel.hidden = false; root.classList.add('sb-open'); sset(KP, '1');
 launcher.setAttribute('aria-expanded', true); launcher.setAttribute('aria-label', L.close);
 unread = 0; badge.hidden = true;
 connect();
 log.scrollTop = log.scrollHeight;
 if (!restored) input.focus(); // a page load must not raise a phone's keyboard
}
function closePanel() {
 panel.hidden = true; root.classList.remove('sb-open'); sset(KP, null);
 launcher.setAttribute('aria-expanded', false); launcher.setAttribute('aria-label', L.t);
 launcher.focus();
}
launcher.onclick = () => panel.hidden ? openPanel(false) : closePanel();
closeBtn.onclick = closePanel;
endBtn.onclick = () => { out({type:'end'}); input.focus(); };
panel.onkeydown = e => { if (e.key == 'Escape') e.stopPropagation(), closePanel(); };
function init() {
 d.body.append(root);
 texts();
 // What this browser already showed: drawn at once, and the hello resumes after it.
 const shown = kept.splice(0);
 welcomeLast = shown.reduce((a, m) => Math.max(a, +m.seq || 0), 0);
 for (const m of shown) entry(m);
 for (const o of outbox) if (o && o.id && o.text) place(pending(o));
 if (sget(KS) || outbox.length) connect(); // a conversation exists: resume it at once
 if (sget(KP)) openPanel(true); // open on the last page: open on this one
}
d.body ? init() : d.addEventListener('DOMContentLoaded', init);
})();
