// The hall view's cameras: a window's HLS stream played with hls.js (from npm, served here),
// or natively where the browser plays HLS itself.
(() => {
  const box = document.getElementById("camera-box");
  const video = document.getElementById("camera-video");
  const status = document.getElementById("camera-status");
  if (!box) return;
  let hls = null;
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-camera]");
    if (!button) return;
    box.hidden = false;
    status.textContent = `正在连接 ${button.dataset.cameraName} 的监控画面…`;
    if (hls) { hls.destroy(); hls = null; }
    const url = button.dataset.camera;
    if (window.Hls && window.Hls.isSupported()) {
      hls = new window.Hls({enableWorker: false});
      hls.on(window.Hls.Events.ERROR, (_e, data) => {
        if (data.fatal) status.textContent = `${button.dataset.cameraName} 的监控画面无法播放（${data.details}）。`;
      });
      hls.loadSource(url);
      hls.attachMedia(video);
    } else {
      video.src = url;
    }
    video.addEventListener("playing", () => {
      status.textContent = `${button.dataset.cameraName} 的监控画面`;
      box.dataset.playing = "true";
    }, {once: true});
    video.play().catch(() => {});
    box.scrollIntoView({block: "nearest"});
  });
})();
