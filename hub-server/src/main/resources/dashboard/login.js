// Exchanges a token (or a one-time link code from the URL fragment) for the session cookie.
const form = document.getElementById('login-form');
const error = document.getElementById('login-error');

async function login(body) {
  const res = await fetch('api/dashboard/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify(body),
  });
  if (res.ok) {
    location.replace('./');
    return;
  }
  let detail = 'Login failed (' + res.status + ').';
  try {
    detail = (await res.json()).detail || detail;
  } catch (e) {
    // not JSON: keep the status line
  }
  error.textContent = detail;
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  error.textContent = '';
  login({token: document.getElementById('token').value});
});

const code = new URLSearchParams(location.hash.slice(1)).get('code');
if (code) {
  // The code is used once; keep it out of history.
  history.replaceState(null, '', location.pathname);
  login({code});
}
