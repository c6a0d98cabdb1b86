// The demo page: starts requests through its own backend, shows the OTP as a
// QR code and text, counts down, and follows the status over server-sent events.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const els = {
    who: $('who'), whoName: $('who-name'), logout: $('logout'),
    loginCard: $('login-card'), startLogin: $('start-login'),
    payCard: $('pay-card'), payUser: $('pay-user'), payAmount: $('pay-amount'), payShop: $('pay-shop'),
    startPayment: $('start-payment'), startPaymentPush: $('start-payment-push'),
    pushNote: $('push-note'), requestBody: $('request-body'),
    request: $('request'), requestTitle: $('request-title'), requestMessage: $('request-message'),
    qr: $('qr'), otp: $('otp'), copy: $('copy'), copied: $('copied'), phoneCmd: $('phone-cmd'),
    countdown: $('countdown'), status: $('status'), statusText: $('status-text'), again: $('again'),
    newCode: $('new-code'),
    error: $('error'),
  };
  let source = null;
  let timer = null;
  let current = null;
  let last = null; // what the last request was ({kind, push}), for 'New code'

  async function api(method, path) {
    const res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'X-Requested-With': 'oma-demo', 'Content-Type': 'application/json' },
      body: method === 'POST' ? '{}' : undefined,
    });
    let body = null;
    try { body = await res.json(); } catch (_) { /* not JSON */ }
    if (!res.ok) throw new Error((body && body.error) || ('the server answered ' + res.status));
    return body;
  }

  function showError(msg) {
    els.error.textContent = msg;
    els.error.hidden = !msg;
  }

  function showSession(s) {
    const user = s && s.userId;
    els.who.hidden = !user;
    els.whoName.textContent = user || '';
    els.loginCard.hidden = !!user;
    els.payCard.hidden = !user;
    els.payUser.textContent = user || '';
    if (s && s.amount) els.payAmount.textContent = s.amount;
    if (s && s.shopName) els.payShop.textContent = s.shopName;
    if (s && 'push' in s) els.startPaymentPush.hidden = !s.push;
  }

  function stopWatching() {
    if (source) { source.close(); source = null; }
    if (timer) { clearInterval(timer); timer = null; }
  }

  function fmt(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }

  function statusText(kind, v) {
    const pay = kind === 'payment';
    switch (v.status) {
      case 'pending': return 'Waiting for your phone…';
      case 'claimed': return 'Opened on the phone — waiting for the answer…';
      case 'accepted': return pay ? 'Payment confirmed by ' + v.userId : 'Approved for ' + v.userId;
      case 'denied':
        if (v.reason === 'not_me') return 'You reported this request as not yours ("this wasn\'t me"); requests for your account are paused';
        if (v.reason === 'wrong_match') return 'Denied: the number picked on the phone was not the one shown here';
        return pay ? 'Payment denied' : 'Denied';
      case 'expired': return (pay ? 'Payment request expired' : 'Expired') + ' — ask for a new code';
      default: return v.status;
    }
  }

  function setStatus(kind, v) {
    els.status.dataset.state = v.status;
    els.request.dataset.state = v.status;
    els.statusText.textContent = statusText(kind, v);
    if (v.final) {
      stopWatching();
      els.request.classList.add('final');
      els.request.classList.toggle('answered', v.status !== 'expired');
      els.requestTitle.textContent = kind === 'payment' ? 'Payment' : 'Login';
      els.again.hidden = false;
      // An expired request: offer a new one of the same kind at once.
      els.newCode.hidden = v.status !== 'expired';
      if (v.status === 'expired') els.countdown.textContent = '0:00';
      els.otp.setSelectionRange(0, 0);
      if (kind === 'login' && v.status === 'accepted') {
        showSession({ userId: v.loggedInUser || v.userId, amount: els.payAmount.textContent, shopName: els.payShop.textContent });
        els.startPayment.focus();
      } else if (v.status === 'expired') {
        els.newCode.focus();
      } else {
        els.again.focus();
      }
    }
  }

  function watch(t) {
    const deadline = Date.now() + t.timeToLiveMs;
    const tick = () => { els.countdown.textContent = fmt(deadline - Date.now()); };
    tick();
    timer = setInterval(tick, 250);
    source = new EventSource('api/transactions/' + encodeURIComponent(t.transactionId) + '/events');
    source.addEventListener('status', (e) => {
      if (!current || current.transactionId !== t.transactionId) return;
      showError('');
      setStatus(t.kind, JSON.parse(e.data));
    });
    source.addEventListener('problem', (e) => {
      showError(JSON.parse(e.data).error);
    });
    source.onerror = () => {
      // EventSource retries by itself; CLOSED means it gave up (the demo
      // restarted and forgot this session, say).
      if (source && source.readyState === EventSource.CLOSED) {
        stopWatching();
        showError('Lost the connection to the demo. Start again.');
        els.again.hidden = false;
      }
    };
  }

  async function start(kind, push) {
    stopWatching();
    showError('');
    const button = push ? els.startPaymentPush : kind === 'payment' ? els.startPayment : els.startLogin;
    button.disabled = true;
    current = null;
    last = { kind, push: !!push };
    els.newCode.hidden = true;
    els.request.hidden = true;
    els.otp.value = '';
    els.qr.removeAttribute('src');
    try {
      const t = await api('POST', push ? 'api/payment-push' : kind === 'payment' ? 'api/payment' : 'api/login');
      current = t;
      els.request.hidden = false;
      els.request.classList.remove('final', 'answered');
      els.again.hidden = true;
      els.requestTitle.textContent = kind === 'payment' ? 'Confirm the payment on your phone' : 'Scan with your phone';
      els.requestMessage.textContent = t.message;
      // Number matching: the number the user picks on the phone.
      const match = document.getElementById('match');
      match.hidden = !t.matchCode;
      document.getElementById('match-code').textContent = t.matchCode || '';
      if (t.matchCode) els.phoneCmd.dataset.match = t.matchCode;
      // A push request has no code: the phone was woken (or pulls it).
      els.pushNote.hidden = !t.push;
      els.requestBody.hidden = !!t.push;
      if (t.push) {
        els.requestTitle.textContent = 'Confirm the payment on your phone (push)';
      } else {
        els.qr.src = t.qr;
        els.otp.value = t.otp;
        els.copied.textContent = '';
        els.phoneCmd.textContent = 'go run ./cmd/phone scan ' + t.otp + (t.matchCode ? ' --match ' + t.matchCode : '');
      }
      setStatus(kind, { status: 'pending', final: false });
      watch(t);
      if (!t.push) {
        els.otp.focus();
        els.otp.select();
      }
    } catch (err) {
      showError(err.message);
    } finally {
      button.disabled = false;
    }
  }

  els.startLogin.addEventListener('click', () => start('login'));
  els.startPayment.addEventListener('click', () => start('payment'));
  els.startPaymentPush.addEventListener('click', () => start('payment', true));
  els.newCode.addEventListener('click', () => { if (last) start(last.kind, last.push); });
  els.again.addEventListener('click', () => {
    stopWatching();
    current = null;
    els.request.hidden = true;
    (els.payCard.hidden ? els.startLogin : els.startPayment).focus();
  });
  els.copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(els.otp.value);
      els.copied.textContent = 'Copied.';
    } catch (_) {
      els.otp.select();
      els.copied.textContent = 'Press Ctrl+C (⌘C) to copy.';
    }
  });
  els.logout.addEventListener('click', async () => {
    stopWatching();
    current = null;
    try { showSession(await api('POST', 'api/logout')); } catch (err) { showError(err.message); }
    els.request.hidden = true;
    els.startLogin.focus();
  });

  api('GET', 'api/session').then(showSession).catch((err) => showError(err.message));
})();
