// The main menu on narrow screens: progressive enhancement. Without this script the menu and the account
// links are always shown. With it, the "Menu" button in the header (hidden until now) folds them away on
// narrow screens (the CSS decides what is narrow: the button is only displayed there) and opens and closes
// them, keeping aria-expanded true to what is shown. Escape closes an open menu and returns to the button.
(function () {
  "use strict";
  var toggle = document.querySelector(".wki-menu-toggle");
  if (!toggle) {
    return;
  }
  var root = document.documentElement;
  var targets = toggle.getAttribute("aria-controls").split(/\s+/).map(function (id) {
    return document.getElementById(id);
  }).filter(Boolean);

  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    root.classList.toggle("wki-menu-open", open);
  }

  root.classList.add("wki-menu-enhanced");
  toggle.hidden = false;
  setOpen(false);
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") {
      return;
    }
    var inside = targets.some(function (target) { return target.contains(document.activeElement); });
    if (inside || document.activeElement === toggle) {
      setOpen(false);
      toggle.focus();
    }
  });
})();
