// A <details data-fold-below="N"> is open in the page as sent (so that without JavaScript
// nothing is hidden) and folded on a screen narrower than N pixels, where it would push
// what the person came for below the fold.
document.querySelectorAll("details[data-fold-below]").forEach((details) => {
  if (window.innerWidth < Number(details.dataset.foldBelow)) details.open = false;
});
