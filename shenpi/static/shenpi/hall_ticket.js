// A ticket's page: its place in the queue every five seconds, and the window when called.
(() => {
  const root = document.querySelector("[data-ticket-source]");
  if (!root) return;
  const status = document.getElementById("ticket-status");
  function show(t) {
    if (t.status === "waiting") status.textContent = `前面还有 ${t.ahead} 人，预计等候约 ${t.estimate} 分钟`;
    else if (t.status === "called") status.textContent = `请到 ${t.window} 窗口办理`;
    else status.textContent = t.status_display;
  }
  function poll() {
    fetch(root.dataset.ticketSource, {credentials: "same-origin", cache: "no-store"})
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then(show)
      .catch(() => {})
      .finally(() => setTimeout(poll, 5000));
  }
  setTimeout(poll, 5000);
})();
