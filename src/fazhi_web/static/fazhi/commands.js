// Buttons open and close confirmation dialogs with the commandfor/command attributes.
// Browsers that do not know them yet get the same behaviour here.
(function () {
  "use strict";
  if ("commandForElement" in HTMLButtonElement.prototype) return;
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[commandfor]");
    const dialog = button && document.getElementById(button.getAttribute("commandfor"));
    if (!dialog || button.disabled) return;
    const command = button.getAttribute("command");
    if (command === "show-modal" && !dialog.open) dialog.showModal();
    else if (command === "close") dialog.close();
  });
})();
