// Copy buttons of the explicit mention on each algorithm page (progressive enhancement: the
// text stays selectable, and the button only appears when the browser can copy).
(function () {
  "use strict";
  function setUp(root) {
    if (!navigator.clipboard || !window.isSecureContext) return;
    root.querySelectorAll("button[data-inv-copy]").forEach(function (button) {
      if (button.dataset.invReady) return;
      button.dataset.invReady = "1";
      var target = document.getElementById(button.getAttribute("data-inv-copy"));
      var status = button.parentElement.querySelector(".inv-mention__status");
      if (!target) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(target.innerText.trim()).then(
          function () { if (status) status.textContent = "Mention copiée."; },
          function () {
            if (status) status.textContent = "Copie impossible : sélectionnez le texte.";
          }
        );
      });
    });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { setUp(document); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  }
})();
