// Follows a background job's progress page without reloading it: every few seconds it fetches the page again and
// swaps in the job's part, until the job has finished. Without JavaScript the page's "Refresh" link does the same.
// (A <meta http-equiv="refresh"> would need no script, but reloading a page on a timer fails WCAG 2.2.1.)
(function () {
  "use strict";
  var region = document.getElementById("job");
  if (!region || !window.fetch || !window.DOMParser || region.getAttribute("data-finished") === "true") {
    return;
  }
  var every = Number(region.getAttribute("data-refresh-ms")) || 2000;

  function show(next) {
    region.innerHTML = next.innerHTML;
    if (next.getAttribute("data-finished") !== "true") {
      window.setTimeout(check, every);
      return;
    }
    region.setAttribute("data-finished", "true");
    // Say it has finished: move focus to the result's heading, as a new page would.
    var heading = region.querySelector("h1, .govuk-panel__title, .govuk-error-summary");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  function check() {
    window.fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var next = html && new window.DOMParser().parseFromString(html, "text/html").getElementById("job");
        if (next) { show(next); } else { window.setTimeout(check, every * 5); }
      })
      .catch(function () { window.setTimeout(check, every * 5); });
  }

  window.setTimeout(check, every);
})();
