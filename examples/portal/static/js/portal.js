// tqreg portal: marks that scripts run (so the drag captcha shows instead of the typed one) and
// moves focus to the error summary after a failed submission. No inline scripts (CSP).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function focusSummary(root) {
    var s = (root || document).querySelector("[data-testid=error-summary]");
    if (s) { s.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });
  document.addEventListener("htmx:afterSwap", function (e) { focusSummary(e.target); });
})();
