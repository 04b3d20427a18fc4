// A form on its way shows it (a spinner on the pressed button, aria-busy on the form) and is
// not sent twice by a second press; the services refuse a replay anyway (state checks and
// idempotency keys), this spares the person the error. htmx forms prevent the default and
// mark themselves, so they are left alone here.
(() => {
  const release = (form) => {
    delete form.dataset.busy;
    form.removeAttribute("aria-busy");
    form.querySelectorAll(".is-busy").forEach((button) => {
      button.classList.remove("is-busy");
      button.removeAttribute("aria-disabled");
      button.querySelectorAll(".busy-spinner").forEach((s) => s.remove());
    });
  };
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || form.hasAttribute("data-no-busy")) return;
    if (form.dataset.busy) {
      event.preventDefault();
      return;
    }
    form.dataset.busy = "1";
    form.setAttribute("aria-busy", "true");
    const button = event.submitter;
    if (button && button.tagName === "BUTTON") {
      button.classList.add("is-busy");
      button.setAttribute("aria-disabled", "true");
      const spinner = document.createElement("span");
      spinner.className = "spinner-border spinner-border-sm ms-1 busy-spinner";
      spinner.setAttribute("aria-hidden", "true");
      button.append(spinner);
    }
    // An answer that is a download leaves the page where it is: free the form again.
    setTimeout(() => release(form), 8000);
  });
  // Back to a page from the history cache: nothing is on its way any more.
  window.addEventListener("pageshow", () => {
    document.querySelectorAll("form[data-busy]").forEach(release);
  });
})();
