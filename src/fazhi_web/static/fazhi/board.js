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
