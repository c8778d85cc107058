/* A notice for outdated browsers that blocks no one.
 *
 * Browsers without ES modules (noModule) are the ones we no longer test in. The notice's text is
 * in the page (#browser-notice, hidden), so it is translated with the page; this script only
 * reveals it and lets the reader close it for the rest of the visit. Without JavaScript nothing
 * is shown. Written in ES5 on purpose: it must run in the very browsers it warns about.
 */
(function () {
  "use strict";
  var KEY = "klimat-browser-notice-closed";
  var modern = typeof HTMLScriptElement !== "undefined" && "noModule" in HTMLScriptElement.prototype;
  if (modern) {
    return;
  }
  var notice = document.getElementById("browser-notice");
  if (!notice) {
    return;
  }
  try {
    if (window.sessionStorage && window.sessionStorage.getItem(KEY) === "1") {
      return;
    }
  } catch (e) {
    /* Storage may be disabled; then the notice simply shows again on the next page. */
  }
  notice.removeAttribute("hidden");
  var button = notice.querySelector("[data-dismiss-notice]");
  if (button) {
    button.onclick = function () {
      notice.setAttribute("hidden", "hidden");
      try {
        window.sessionStorage.setItem(KEY, "1");
      } catch (e) {
        /* ignore: closing still works for this page */
      }
    };
  }
})();
