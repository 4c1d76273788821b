// After a refused form, move the focus to what went wrong (the error summary or the
// conflict notice), so keyboard and screen-reader users start there (GOV.UK pattern).
// Without this script the summary is still announced through role=alert.
(function () {
  "use strict";
  var target = document.querySelector(".error-summary, .conflict-notice");
  if (!target) { return; }
  if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
  target.focus();
}());
