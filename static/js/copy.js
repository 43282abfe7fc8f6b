// Copy buttons for text shown once (a new partner token): progressive enhancement. Without this script
// the page works as before (the text can be selected and copied by hand); with it, each placeholder
// [data-copy-target="<id>"] gets a button that copies the text of element <id> with the Clipboard API
// and reports the outcome in the live region [data-copy-status]. The page supplies every word shown.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return; // no clipboard access here: no button that cannot work
  }
  document.querySelectorAll("[data-copy-target]").forEach(function (slot) {
    var source = document.getElementById(slot.dataset.copyTarget);
    var status = document.getElementById(slot.dataset.copyStatus);
    if (!source || !status) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "utrecht-button utrecht-button--secondary-action";
    button.textContent = slot.dataset.copyLabel;
    button.setAttribute("aria-controls", source.id);
    button.addEventListener("click", function () {
      status.textContent = "";
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        status.textContent = slot.dataset.copyDone;
      }, function () {
        status.textContent = slot.dataset.copyFailed;
      });
    });
    slot.appendChild(button);
  });
})();
