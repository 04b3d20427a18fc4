// Material uploads with a progress bar and without leaving the page, so that nothing typed
// into the application form is lost; the new file replaces the requirement's earlier one
// (the service does the same). Without JavaScript the form posts normally.
document.querySelectorAll("form.upload-form").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    const input = form.querySelector('input[type="file"]');
    if (!input.files.length || !window.XMLHttpRequest) return;
    event.preventDefault();
    send(form, input);
  });
});

// After a refused submission, the summary of what to mend gets the focus.
const summary = document.getElementById("error-summary");
if (summary) summary.focus();

function send(form, input) {
  const bar = form.querySelector(".upload-progress");
  const button = form.querySelector('button[type="submit"]');
  const row = form.closest("li") || form.parentElement;
  bar.value = 0;
  bar.classList.remove("d-none");
  button.disabled = true;
  const xhr = new XMLHttpRequest();
  xhr.open("POST", form.action);
  xhr.setRequestHeader("Accept", "application/json");
  xhr.upload.addEventListener("progress", function (e) {
    if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
  });
  const done = function (body, ok) {
    bar.classList.add("d-none");
    button.disabled = false;
    let alert = row.querySelector(".upload-error");
    if (ok) {
      if (alert) alert.remove();
      shown(form, row, body);
      input.value = "";
      return;
    }
    if (!alert) {
      alert = document.createElement("div");
      alert.className = "upload-error text-danger small";
      alert.setAttribute("role", "alert");
      row.appendChild(alert);
    }
    alert.textContent = body.detail || "上传失败，请重试。";
  };
  xhr.addEventListener("load", function () {
    let body = {};
    try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
    done(body, xhr.status === 200 && body.ok);
  });
  xhr.addEventListener("error", function () { done({detail: "网络中断，上传未完成，请重试。"}, false); });
  xhr.send(new FormData(form));
}

function shown(form, row, body) {
  // The requirement's file list as the server now holds it: this one file.
  const list = row.querySelector(".material-files");
  const token = form.querySelector('input[name="csrfmiddlewaretoken"]').value;
  const line = document.createElement("div");
  line.className = "small";
  line.append("✓ " + body.name);
  const remove = document.createElement("form");
  remove.method = "post";
  remove.action = body.remove;
  remove.className = "d-inline";
  const csrf = document.createElement("input");
  csrf.type = "hidden";
  csrf.name = "csrfmiddlewaretoken";
  csrf.value = token;
  const button = document.createElement("button");
  button.className = "btn btn-link btn-sm p-0 ms-2";
  button.type = "submit";
  button.setAttribute("aria-label", "删除 " + body.name);
  button.textContent = "删除";
  remove.append(csrf, button);
  line.append(remove);
  list.replaceChildren(line);
}
