// The board's 全选 box ticks every row of the page that the batch form acts on.
(function () {
  "use strict";
  const all = document.getElementById("batch-all");
  if (!all) return;
  all.addEventListener("change", function () {
    document.querySelectorAll('input[name="ids"][form="batch"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();

// Choosing a unit in the 范围 picker shows its rows and offers the units below it.
(function () {
  "use strict";
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () {
      const page = select.form.querySelector('input[name="page"]');
      if (page) page.remove();
      select.form.submit();
    });
  });
})();
