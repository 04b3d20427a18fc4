// Material uploads with a progress bar; without JavaScript the form posts normally.
document.querySelectorAll("form.upload-form").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    const input = form.querySelector('input[type="file"]');
    if (!input.files.length || !window.XMLHttpRequest) return;
    event.preventDefault();
    const bar = form.querySelector(".upload-progress");
    bar.classList.remove("d-none");
    // Keep what has been typed into the application form: save the draft first.
    const caseForm = document.getElementById("case-form");
    const saved = caseForm ? (function () {
      const data = new FormData(caseForm);
      data.set("action", "save");
      // (caseForm.action would be the buttons named "action", not the URL)
      return fetch(caseForm.getAttribute("action") || window.location.href, {method: "POST", body: data, credentials: "same-origin"});
    })() : Promise.resolve();
    saved.then(function () { send(form, input, bar); });
  });
});

function send(form, input, bar) {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    });
    xhr.addEventListener("load", function () {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = {detail: "上传失败，请重试。"}; }
      if (xhr.status === 200 && body.ok) { window.location.reload(); return; }
      bar.classList.add("d-none");
      let alert = form.parentElement.querySelector(".upload-error");
      if (!alert) {
        alert = document.createElement("div");
        alert.className = "upload-error text-danger small";
        alert.setAttribute("role", "alert");
        form.parentElement.appendChild(alert);
      }
      alert.textContent = body.detail || "上传失败，请重试。";
    });
    xhr.send(new FormData(form));
}
