// パスキー (WebAuthn) in plain JavaScript, loaded only by the pages that offer it (login, the code
// page, セキュリティ設定): the wasm of those pages does not grow. Every ceremony's state stays on
// the server (one use, five minutes, bound to this browser's cookie); this file only carries the
// options to the browser's authenticator and its answer back, through the server functions.
(() => {
  const supported = () => typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;

  const decode = (s) => {
    const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer;
  };
  const encode = (buf) =>
    btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

  const creationOptions = (json) => {
    const pk = json.publicKey;
    pk.challenge = decode(pk.challenge);
    pk.user.id = decode(pk.user.id);
    (pk.excludeCredentials || []).forEach((c) => (c.id = decode(c.id)));
    return { publicKey: pk };
  };
  const requestOptions = (json) => {
    const pk = json.publicKey;
    pk.challenge = decode(pk.challenge);
    (pk.allowCredentials || []).forEach((c) => (c.id = decode(c.id)));
    return { publicKey: pk };
  };

  const registration = (cred) => ({
    id: cred.id,
    rawId: encode(cred.rawId),
    type: cred.type,
    response: {
      attestationObject: encode(cred.response.attestationObject),
      clientDataJSON: encode(cred.response.clientDataJSON),
      transports: typeof cred.response.getTransports === 'function' ? cred.response.getTransports() : undefined,
    },
    extensions: cred.getClientExtensionResults(),
  });
  const assertion = (cred) => ({
    id: cred.id,
    rawId: encode(cred.rawId),
    type: cred.type,
    response: {
      authenticatorData: encode(cred.response.authenticatorData),
      clientDataJSON: encode(cred.response.clientDataJSON),
      signature: encode(cred.response.signature),
      userHandle: cred.response.userHandle ? encode(cred.response.userHandle) : null,
    },
    extensions: cred.getClientExtensionResults(),
  });

  /** The server's `AppError` as the words to show (fields' messages first). */
  const message = (err) => {
    if (!err || typeof err !== 'object') return null;
    if (err.Invalid) return err.Invalid.fields.map((f) => f[1]).concat(err.Invalid.message || []).join(' ');
    for (const k of ['Limited', 'Gone', 'Transport']) if (typeof err[k] === 'string') return err[k];
    return null;
  };

  class Refused extends Error {}

  /** Calls a server function with form fields; returns its JSON answer or throws `Refused`. */
  async function call(path, fields) {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(fields),
      credentials: 'same-origin',
    });
    const body = await res.json().catch(() => null);
    if (res.ok) return body;
    if (body && body.Redirect) {
      location.assign(body.Redirect);
      throw new Refused('');
    }
    throw new Refused(message(body) || document.body.dataset.passkeyFailed || '');
  }

  /** Runs the steps the server answers until it says where to go (or that it is done). */
  async function run(root, first) {
    let step = first;
    for (;;) {
      if (step.go) return location.assign(step.go);
      if (step.done) return location.reload();
      let cred;
      try {
        cred = step.create
          ? await navigator.credentials.create(creationOptions(JSON.parse(step.create)))
          : await navigator.credentials.get(requestOptions(JSON.parse(step.get)));
      } catch (e) {
        // Cancelled, timed out or refused by the authenticator: the server's ceremony expires.
        throw new Refused(root.dataset.cancelled);
      }
      const answer = step.create ? registration(cred) : assertion(cred);
      step = await call(root.dataset.finish, { response: JSON.stringify(answer) });
    }
  }

  function wire(root) {
    const status = root.querySelector('[data-passkey-status]');
    const say = (text) => {
      status.textContent = text;
      status.hidden = !text;
    };
    if (!supported()) {
      say(root.dataset.unsupported);
      return;
    }
    const form = root.querySelector('form') || root;
    const trigger = root.querySelector('button');
    root.querySelectorAll('[data-passkey-hidden]').forEach((el) => (el.hidden = false));
    const go = async (fields) => {
      say('');
      trigger.disabled = true;
      try {
        await run(root, await call(root.dataset.begin, fields));
      } catch (e) {
        if (e instanceof Refused) say(e.message);
        else say(root.dataset.cancelled);
      } finally {
        trigger.disabled = false;
      }
    };
    if (root.dataset.form) {
      // The fields of another form of the page (the staff login's address and password).
      trigger.addEventListener('click', () => {
        const other = document.querySelector(root.dataset.form);
        go(other ? Object.fromEntries(new FormData(other)) : {});
      });
    } else if (form.tagName === 'FORM') {
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        go(Object.fromEntries(new FormData(form)));
      });
    } else {
      trigger.addEventListener('click', () => go({ next: root.dataset.next || '' }));
    }
  }

  document.querySelectorAll('[data-passkey]').forEach(wire);
})();
