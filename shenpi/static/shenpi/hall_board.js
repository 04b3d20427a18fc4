// The hall's display board (叫号屏). Short polling, every half second, of the board's API
// (a call shows within a second: the half second plus the answer's time, bench/hall.py):
// the server runs gunicorn's synchronous workers, where a server-sent-events stream would
// hold a worker per TV for as long as the TV is on; three indexed queries every half second
// per TV cost less than that and need nothing beyond the page's own origin. A new call (or 再次呼叫)
// is announced with the browser's speech synthesis in Chinese once sound is switched on (a
// browser speaks only after a person has touched the page).
(() => {
  const POLL_MS = 500;
  const root = document.querySelector("[data-board-source]");
  if (!root) return;
  const calls = document.getElementById("board-calls");
  const waiting = document.getElementById("board-waiting");
  const clock = document.getElementById("board-clock");
  const soundButton = document.getElementById("board-sound");
  const seen = new Set();  // label@announced_at of the calls shown
  let polled = false;
  let sound = false;
  const spoken = [];

  function speak(call) {
    if (!sound || !("speechSynthesis" in window)) return;
    const digits = call.label.split("").join(" ");
    const text = `请 ${digits} 号，到 ${call.window} 号窗口办理`;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "zh-CN";
    utterance.rate = 0.9;
    window.speechSynthesis.speak(utterance);
    spoken.push(text);
  }

  function row(call, first) {
    const tr = document.createElement("tr");
    if (first) tr.className = "board-latest";
    for (const text of [call.label, `${call.window} 窗口`]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.appendChild(td);
    }
    return tr;
  }

  function render(data) {
    calls.replaceChildren(...(data.calls.length
      ? data.calls.map((c, i) => row(c, i === 0))
      : [Object.assign(document.createElement("tr"), {innerHTML: "<td colspan=\"2\">暂无叫号</td>"})]));
    const groups = Object.entries(data.waiting);
    waiting.replaceChildren(...(groups.length
      ? groups.map(([letter, n]) => Object.assign(document.createElement("li"), {textContent: `${letter} 类：${n} 人`}))
      : [Object.assign(document.createElement("li"), {textContent: "无人等候"})]));
    // Announce each call not shown before (the first poll only learns what is on the board).
    const fresh = data.calls.filter((c) => !seen.has(`${c.label}@${c.announced_at}`));
    data.calls.forEach((c) => seen.add(`${c.label}@${c.announced_at}`));
    if (polled) fresh.reverse().forEach(speak);
    polled = true;
    root.dataset.latest = data.calls.length ? `${data.calls[0].label}@${data.calls[0].window}` : "";
    root.dataset.polls = String(Number(root.dataset.polls || 0) + 1);
  }

  function poll() {
    fetch(root.dataset.boardSource, {credentials: "same-origin", cache: "no-store"})
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then(render)
      .catch(() => {})
      .finally(() => setTimeout(poll, POLL_MS));
  }

  function tick() {
    clock.textContent = new Date().toLocaleTimeString("zh-CN", {hour12: false});
  }
  soundButton.addEventListener("click", () => {
    sound = true;
    soundButton.textContent = "语音播报已开启";
    soundButton.disabled = true;
  });
  window.hallBoard = {spoken};
  tick();
  setInterval(tick, 1000);
  poll();
})();
