// "+ 增加一行" for Django formsets rendered by _formset_table.html.
document.addEventListener("click", function (event) {
  const button = event.target.closest(".add-row");
  if (!button) return;
  const prefix = button.dataset.prefix;
  const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  const template = document.getElementById("empty-" + prefix);
  const body = document.querySelector('table.formset[data-prefix="' + prefix + '"] tbody');
  const index = parseInt(total.value, 10);
  body.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, index));
  total.value = index + 1;
  const first = body.lastElementChild.querySelector("input, select, textarea");
  if (first) first.focus();
});
