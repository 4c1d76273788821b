// "Ähnliche Ideen" while typing: progressive enhancement of the submit form.
// Without this script the button "Ähnliche Ideen prüfen" shows the same hints.
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");
  if (!form || !window.fetch) { return; }
  var title = form.querySelector("[name=title]");
  var summary = form.querySelector("[name=summary]");
  var target = document.getElementById("similar-ideas");
  var timer = null;
  var last = "";
  function refresh() {
    var query = "title=" + encodeURIComponent(title.value) +
      "&summary=" + encodeURIComponent(summary.value);
    if (query === last || title.value.trim().length < 3) { return; }
    last = query;
    fetch(form.getAttribute("data-similar-url") + "?" + query, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { if (html) { target.innerHTML = html; } })
      .catch(function () { /* the button still works */ });
  }
  function later() { clearTimeout(timer); timer = setTimeout(refresh, 400); }
  title.addEventListener("input", later);
  summary.addEventListener("input", later);
}());
