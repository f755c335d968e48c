/* flaskit error overlay: a failed background request shows its error over the open page.
 *
 * Served after client.js in the same live-reload script (debug mode only). It
 * watches the page's fetch() and XMLHttpRequest (htmx, jQuery, ...) for
 * responses flaskit marked with an X-Flaskit-Error header (the id of the error,
 * shown only to clients allowed to see the debug page), reads the error as
 * problem+json (from the response itself, or from /__flaskit/errors/<id>) and
 * shows the exception, the failing frame, the hints and a link to the full
 * page. It lives in a shadow root styled by a constructed stylesheet, so the
 * page's CSS does not reach it and a Content-Security-Policy without
 * 'unsafe-inline' styles allows it; all text is set as text, never as markup.
 * Escape, the close button or a click beside the panel dismisses it.
 */
(function () {
  "use strict";

  if (typeof document === "undefined" || !document.currentScript) return; // the SharedWorker
  if (window.__flaskitErrorOverlay) return;
  window.__flaskitErrorOverlay = true;

  var HEADER = "X-Flaskit-Error";
  var base = document.currentScript.src;
  var nativeFetch = window.fetch ? window.fetch.bind(window) : null;
  var shown = null; // {host, panel, count, previousFocus}

  var CSS = [
    ":host { all: initial !important; position: fixed !important; inset: 0 !important;",
    "  z-index: 2147483647 !important; display: block !important; }",
    ".backdrop { position: fixed; inset: 0; background: rgba(15, 18, 25, 0.55); }",
    ".panel { position: relative; box-sizing: border-box; margin: 6vh auto 0; max-width: 880px;",
    "  width: calc(100% - 32px); max-height: 86vh; overflow: auto; padding: 18px 22px;",
    "  border-radius: 10px; border-top: 5px solid #cf222e; background: #ffffff; color: #1f2328;",
    "  font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;",
    "  box-shadow: 0 12px 48px rgba(0, 0, 0, 0.35); }",
    ".eyebrow { color: #59636e; font-size: 12px; margin: 0 40px 4px 0; overflow-wrap: anywhere; }",
    "h2 { margin: 0 40px 6px 0; font-size: 20px; color: #cf222e; overflow-wrap: anywhere; }",
    ".message { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 12px; }",
    ".frame { background: #f6f8fa; border: 1px solid #d1d9e0; border-radius: 6px;",
    "  padding: 8px 12px; margin: 10px 0; }",
    ".where { font-size: 13px; color: #59636e; overflow-wrap: anywhere; }",
    "code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;",
    "  font-size: 13px; }",
    "pre { margin: 6px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }",
    ".hint { border-left: 3px solid #0969da; padding: 2px 10px; margin: 10px 0; }",
    ".hint b { display: block; }",
    ".hint .fix { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;",
    "  font-size: 13px; white-space: pre-wrap; overflow-wrap: anywhere; }",
    ".actions { display: flex; gap: 16px; align-items: center; margin-top: 14px; flex-wrap: wrap; }",
    "a { color: #0969da; }",
    ".more { color: #59636e; font-size: 12px; }",
    "button { font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid #d1d9e0;",
    "  background: #f6f8fa; color: inherit; padding: 3px 12px; }",
    "button.close { position: absolute; top: 12px; right: 14px; width: 30px; height: 30px;",
    "  padding: 0; font-size: 18px; line-height: 1; }",
    "@media (prefers-color-scheme: dark) {",
    "  .panel { background: #0d1117; color: #e6edf3; border-top-color: #ff7b72; }",
    "  h2 { color: #ff7b72; } .eyebrow, .where, .more { color: #9198a1; }",
    "  .frame { background: #151b23; border-color: #3d444d; }",
    "  .hint { border-left-color: #4493f8; } a { color: #4493f8; }",
    "  button { background: #151b23; border-color: #3d444d; }",
    "}"
  ].join("\n");

  function errorUrl(id) {
    return new URL("errors/" + encodeURIComponent(id), base).href;
  }

  /* The error as problem+json: from the failed response when it is that, else asked for. */
  function problemOf(id, text, contentType) {
    if (text && /^application\/problem\+json/i.test(contentType || "")) {
      try {
        return Promise.resolve(JSON.parse(text));
      } catch (error) { /* asked for below */ }
    }
    if (!nativeFetch) return Promise.resolve(null);
    return nativeFetch(errorUrl(id), {
      headers: { Accept: "application/problem+json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).catch(function () { return null; });
  }

  function report(id, method, url, status, text, contentType) {
    problemOf(id, text, contentType).then(function (problem) {
      show(id, method, url, status, problem);
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function failingFrame(problem) {
    var chain = (problem && problem.exceptions) || [];
    var frames = chain.length ? chain[chain.length - 1].frames || [] : [];
    for (var i = frames.length - 1; i >= 0; i--) {
      if (frames[i].kind !== "library") return frames[i];
    }
    return frames[frames.length - 1] || null;
  }

  function build(id, method, url, status, problem) {
    var panel = element("div", "panel");
    panel.setAttribute("role", "alertdialog");
    panel.setAttribute("aria-modal", "true");
    panel.setAttribute("aria-labelledby", "flaskit-error-title");
    var close = element("button", "close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss");
    close.addEventListener("click", dismiss);
    panel.appendChild(close);
    var path = url;
    try { path = new URL(url, location.href).pathname; } catch (error) { /* shown as given */ }
    panel.appendChild(element("p", "eyebrow",
      "A background request failed \u00b7 " + method + " " + path + " \u2192 " + status));
    var title = element("h2", "", problem ? problem.exception : "Error " + status);
    title.id = "flaskit-error-title";
    panel.appendChild(title);
    if (problem) {
      var last = (problem.exceptions || [])[(problem.exceptions || []).length - 1] || {};
      panel.appendChild(element("p", "message", last.message || problem.detail || ""));
      var frame = failingFrame(problem);
      if (frame) {
        var box = element("div", "frame");
        box.appendChild(element("div", "where",
          frame.file + ":" + frame.line + " in " + frame["function"]));
        if (frame.code) box.appendChild(element("pre", "", frame.code));
        panel.appendChild(box);
      }
      (problem.hints || []).forEach(function (hint) {
        var item = element("div", "hint");
        item.appendChild(element("b", "", hint.title));
        if (hint.detail) item.appendChild(element("div", "", hint.detail));
        if (hint.fix) item.appendChild(element("div", "fix", "Fix: " + hint.fix));
        panel.appendChild(item);
      });
    } else {
      panel.appendChild(element("p", "message", "The error's details are no longer kept."));
    }
    var actions = element("div", "actions");
    var link = element("a", "", "Open the full error page");
    link.href = errorUrl(id);
    link.target = "_blank";
    link.rel = "noopener";
    actions.appendChild(link);
    var dismissButton = element("button", "dismiss", "Dismiss (Esc)");
    dismissButton.type = "button";
    dismissButton.addEventListener("click", dismiss);
    actions.appendChild(dismissButton);
    panel.appendChild(actions);
    return panel;
  }

  function show(id, method, url, status, problem) {
    var previousFocus = shown ? shown.previousFocus : document.activeElement;
    var count = shown ? shown.count + 1 : 1;
    if (shown) shown.host.remove();
    var host = document.createElement("div");
    host.id = "flaskit-error-overlay";
    host.setAttribute("data-error", id);
    var root = host.attachShadow({ mode: "open" });
    if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function") {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS); // CSSOM: not an inline style, so no style-src needed
      root.adoptedStyleSheets = [sheet];
    } else {
      root.appendChild(element("style", "", CSS));
    }
    var backdrop = element("div", "backdrop");
    backdrop.addEventListener("click", dismiss);
    root.appendChild(backdrop);
    var panel = build(id, method, url, status, problem);
    if (count > 1) {
      panel.appendChild(element("p", "more",
        (count - 1) + " earlier error" + (count > 2 ? "s" : "") + " replaced by this one."));
    }
    root.appendChild(panel);
    document.documentElement.appendChild(host);
    shown = { host: host, count: count, previousFocus: previousFocus };
    var button = root.querySelector("button.dismiss");
    if (button) button.focus({ preventScroll: true });
  }

  function dismiss() {
    if (!shown) return;
    var previous = shown.previousFocus;
    shown.host.remove();
    shown = null;
    if (previous && previous.focus && document.contains(previous)) previous.focus();
  }

  document.addEventListener("keydown", function (event) {
    if (shown && event.key === "Escape") dismiss();
  }, true);

  /* fetch(): the response is handed back untouched; a copy is read for the error. */
  if (nativeFetch) {
    window.fetch = function (input, init) {
      var method = (init && init.method) || (input && input.method) || "GET";
      var url = typeof input === "string" ? input : (input && input.url) || String(input);
      return nativeFetch(input, init).then(function (response) {
        var id = response.headers.get(HEADER);
        if (id) {
          var type = response.headers.get("Content-Type");
          response.clone().text().then(function (text) {
            report(id, method.toUpperCase(), url, response.status, text, type);
          }, function () {
            report(id, method.toUpperCase(), url, response.status, "", type);
          });
        }
        return response;
      });
    };
  }

  /* XMLHttpRequest (htmx, jQuery, axios in the browser): checked when it ends. */
  if (window.XMLHttpRequest) {
    var proto = XMLHttpRequest.prototype;
    var open = proto.open;
    var send = proto.send;
    proto.open = function (method, url) {
      this.__flaskitRequest = { method: String(method || "GET").toUpperCase(), url: String(url) };
      return open.apply(this, arguments);
    };
    proto.send = function () {
      var xhr = this;
      xhr.addEventListener("loadend", function () {
        var id = null;
        try { id = xhr.getResponseHeader(HEADER); } catch (error) { id = null; }
        if (!id) return;
        var text = "";
        try {
          if (xhr.responseType === "" || xhr.responseType === "text") text = xhr.responseText;
        } catch (error) { text = ""; }
        var sent = xhr.__flaskitRequest || { method: "GET", url: xhr.responseURL };
        report(id, sent.method, sent.url, xhr.status, text, xhr.getResponseHeader("Content-Type"));
      });
      return send.apply(this, arguments);
    };
  }
})();
