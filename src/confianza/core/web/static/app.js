// Small behaviours the pages need; loaded as a file because the CSP forbids inline scripts.
(function () {
  "use strict";

  function showFlash(message) {
    var flash = document.getElementById("flash");
    if (!flash) { return; }
    flash.textContent = message;
    flash.hidden = false;
  }

  document.addEventListener("htmx:configRequest", function (event) {
    // Keep shareable search URLs short: blank criteria are not criteria.
    if (event.detail.verb !== "get") { return; }
    var params = event.detail.parameters;
    var keys = params instanceof FormData ? Array.from(params.keys()) : Object.keys(params);
    keys.forEach(function (key) {
      var value = params instanceof FormData ? params.get(key) : params[key];
      if (value === "") {
        if (params instanceof FormData) { params.delete(key); } else { delete params[key]; }
      }
    });
  });

  document.addEventListener("htmx:beforeRequest", function () {
    var flash = document.getElementById("flash");
    if (flash) { flash.hidden = true; }
  });

  // A refused or failed fragment request is not swapped in; say so instead of doing nothing.
  document.addEventListener("htmx:responseError", function () {
    showFlash(document.body.getAttribute("data-error-message") || "Error");
  });
  document.addEventListener("htmx:sendError", function () {
    showFlash(document.body.getAttribute("data-error-message") || "Error");
  });

  // Print buttons (the credential card) need script, which the security policy allows only
  // from this file: they stay hidden where it does not run.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
