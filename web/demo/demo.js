// Demo HIS page (docs/browsers.md): reaches the sscard daemon the way the browser allows
// (reachDaemon: direct socket, else the bridge window), lists readers, reads the card on insert,
// shows the card-status lock banner and verifies the PIN with the tries left.
// Served by the daemon at /demo/ (its own origin), or as a static page anywhere with ?daemon=URL.
import { reachDaemon, localNetworkPermission } from '/sdk/client/index.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const servedByDaemon = location.pathname.startsWith('/demo/') && !params.has('daemon');
const daemonUrl = params.get('daemon') ?? (servedByDaemon ? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/` : 'ws://127.0.0.1:47815/');
const transportParam = params.get('transport'); // 'direct' | 'bridge' | null (auto)

/** Test and debugging view of the page's state (no PIN ever stored here). */
const demo = (window.sscardDemo = { state: 'connecting', transport: null, permission: null, error: null, readers: [], card: null, status: null, pin: null });

const ERRORS = {
  BLOCKED_BY_BROWSER: ['浏览器阻止了本页访问本机读卡服务', 'The browser blocks this page from reaching services on this computer'],
  PERMISSION_REQUIRED: ['需要您允许本页访问本机设备', 'The browser must ask you first: click Connect'],
  PERMISSION_DENIED: ['本站的“本地网络”权限已被拒绝', 'Local-network access was refused for this site'],
  DAEMON_NOT_RUNNING: ['本机读卡服务未运行', 'The sscard card-reader service is not running'],
  ORIGIN_NOT_ALLOWED: ['本页未获准使用读卡服务', 'This page is not on the card-reader service allow-list'],
  BRIDGE_BLOCKED: ['读卡桥窗口被拦截', 'The bridge window was blocked (popup)'],
};
const STATUS_ZH = { normal: '正常', 'temporarily-locked': '临时挂失', 'formally-locked': '正式挂失', 'replacement-requested': '申请补换卡', cancelled: '已注销', 'blocked-on-chip': '芯片已锁定' };
// A click can fix these: the browser may ask for the permission, and the bridge window may open.
const NEEDS_CLICK = new Set(['PERMISSION_REQUIRED', 'PERMISSION_DENIED', 'BRIDGE_BLOCKED', 'BLOCKED_BY_BROWSER']);

let client = null;

function showError(e) {
  const code = e?.code ?? 'CONNECTION_FAILED';
  const [zh, en] = ERRORS[code] ?? ['无法连接读卡服务', 'Cannot connect to the card-reader service'];
  demo.state = 'error';
  demo.error = { code, message: e?.message ?? String(e) };
  $('connection').dataset.state = 'error';
  $('conn-text').innerHTML = '未连接 <span class="en">not connected</span>';
  $('err-title').textContent = `${zh} · ${en}`;
  $('err-text').textContent = e?.message ?? '';
  $('err-hint').textContent = e?.details?.hint ?? '';
  $('err-code').textContent = code;
  $('conn-error').hidden = false;
  $('connect').hidden = !NEEDS_CLICK.has(code) && code !== 'DAEMON_NOT_RUNNING' && code !== 'CONNECTION_CLOSED'; // retry once the daemon runs
  if (!client) $('insert').innerHTML = '连接读卡服务后显示 <span class="en">shown once connected</span>';
}

async function connect(mode) {
  $('conn-error').hidden = true;
  demo.permission = await localNetworkPermission();
  try {
    const reached = await reachDaemon({ url: daemonUrl, clientName: 'sscard-demo', transport: mode ?? transportParam ?? 'auto' });
    client = reached.client;
    demo.transport = reached.transport;
    demo.state = 'connected';
    $('connection').dataset.state = 'connected';
    $('connect').hidden = true;
    $('conn-text').innerHTML = `已连接 <span class="en">connected</span> · ${daemonUrl}`;
    $('transport').hidden = false;
    $('transport').textContent = reached.transport === 'bridge' ? '经读卡桥窗口 via bridge window' : '直连 direct';
    $('simulated').hidden = !client.hello.simulatedReaders;
    $('insert').innerHTML = '请插入社保卡 <span class="en">Please insert a social security card</span>';
    client.on('*', (e) => onEvent(e));
    client.onClose(() => showError({ code: 'CONNECTION_CLOSED', message: 'connection closed' }));
    await client.subscribe();
    await refreshReaders(true);
  } catch (e) {
    showError(e);
  }
}

async function refreshReaders(readIfCard) {
  const { readers } = await client.request('readers.list', {});
  demo.readers = readers;
  const ul = $('readers');
  ul.replaceChildren(
    ...(readers.length
      ? readers.map((r) => {
          const li = document.createElement('li');
          const name = document.createElement('span');
          name.textContent = r.name + (r.simulated ? '（模拟 simulated）' : '');
          const pill = document.createElement('span');
          pill.className = 'pill' + (r.cardPresent ? ' on' : '');
          pill.textContent = r.cardPresent ? '有卡 card in' : '无卡 empty';
          li.append(name, pill);
          return li;
        })
      : [Object.assign(document.createElement('li'), { className: 'muted', textContent: '没有读卡器 · no reader' })]),
  );
  const withCard = readers.find((r) => r.cardPresent);
  if (readIfCard && withCard) await readCard(withCard.id);
  if (!withCard) clearCard();
}

function onEvent(e) {
  if (e.type === 'card-inserted') refreshReaders(false).then(() => readCard(e.reader.id)).catch(showError);
  else if (e.type === 'card-removed' || e.type === 'reader-removed' || e.type === 'reader-added') refreshReaders(false).catch(showError);
}

function clearCard() {
  demo.card = null;
  demo.status = null;
  $('card-panel').dataset.state = 'waiting';
  $('insert').hidden = false;
  $('card').hidden = true;
  $('lock-banner').hidden = true;
  $('pin-panel').hidden = true;
}

const text = (id, v) => ($(id).textContent = v ?? '—');

async function readCard(readerId) {
  $('card-panel').dataset.state = 'reading';
  $('insert').innerHTML = '正在读卡… <span class="en">reading…</span>';
  let r;
  try {
    r = await client.request('card.read', { reader: readerId });
  } catch (e) {
    $('insert').textContent = `读卡失败 · read failed: ${e.code}`;
    $('card-panel').dataset.state = 'error';
    return;
  }
  demo.card = { reader: readerId, cardNumber: r.data.card.cardNumber, name: r.data.holder.status === 'read' ? r.data.holder.data.name : null };
  demo.status = r.status?.kind ?? null;
  const c = r.data.card;
  text('f-number', c.cardNumber);
  text('f-region', c.regionCode);
  text('f-version', c.specVersionText);
  text('f-issued', c.issueDate);
  text('f-expiry', c.expiryDate);
  if (r.data.holder.status === 'read') {
    const h = r.data.holder.data;
    text('f-name', h.name);
    text('f-sex', h.sex.label ?? h.sex.code);
    text('f-ethnic', h.ethnicGroup.name ?? h.ethnicGroup.code);
    text('f-birth', h.birthDate);
    text('f-ssn', h.ssn.slice(0, 6) + '********' + h.ssn.slice(-4));
  } else {
    text('f-name', '（需要认证 needs authentication）');
  }
  const kind = r.status?.kind ?? null;
  text('f-status', kind === null ? `未知 unknown (${r.statusError?.code ?? ''})` : `${STATUS_ZH[kind] ?? ''} ${kind}`);
  const banner = $('lock-banner');
  banner.hidden = kind === null || kind === 'normal';
  if (!banner.hidden) {
    banner.textContent = `此卡已挂失或停用，请勿办理业务 · This card is ${kind}${r.status.until ? ` until ${r.status.until}` : ''}`;
  }
  $('insert').hidden = true;
  $('card').hidden = false;
  $('card-panel').dataset.state = 'read';
  $('pin-panel').hidden = false;
  $('pin-result').textContent = '';
  await showTries(readerId);
}

async function showTries(readerId) {
  try {
    const s = await client.request('pin.status', { reader: readerId });
    demo.pin = { triesLeft: s.triesLeft, blocked: s.blocked };
    $('tries').textContent = s.blocked ? '密码已锁定 · PIN blocked' : `剩余次数 tries left: ${s.triesLeft ?? '?'}`;
    $('confirm-wrap').hidden = s.triesLeft !== 1;
  } catch (e) {
    $('tries').textContent = e.code;
  }
}

$('pin-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = $('pin-form');
  form.dataset.busy = 'true'; // until the answer and the new tries-left line are shown
  const input = $('pin');
  const pin = input.value;
  input.value = '';
  const out = $('pin-result');
  try {
    await client.request('pin.verify', { reader: demo.card.reader, pin, ...($('confirm-last').checked ? { confirmLastTry: true } : {}) });
    out.className = 'ok';
    out.textContent = '密码正确 · PIN verified';
  } catch (e) {
    out.className = 'bad';
    const left = e.details?.triesLeft;
    out.textContent =
      e.code === 'WRONG_PIN' ? `密码错误，剩余 ${left} 次 · wrong PIN, ${left} tries left`
      : e.code === 'LAST_TRY_NOT_CONFIRMED' ? '仅剩一次，请勾选确认 · one try left: tick to confirm'
      : e.code === 'CARD_LOCKED' ? '此卡已挂失 · the card is locked'
      : `${e.code}: ${e.message}`;
  }
  await showTries(demo.card.reader);
  delete form.dataset.busy;
});

$('connect').addEventListener('click', () => connect());

connect(transportParam ?? 'direct').then(() => {
  // A failed first try stays on screen with the Connect button when a click can fix it (the
  // browser's permission prompt and the bridge window both need a user gesture).
});
