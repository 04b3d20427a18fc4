// A device's page that goes back to its start by itself (the kiosk after a ticket, the
// rating device after a rating): a link marked data-return-after="seconds".
(() => {
  const back = document.querySelector("a[data-return-after]");
  if (back) setTimeout(() => { window.location.href = back.href; }, 1000 * Number(back.dataset.returnAfter));
})();
