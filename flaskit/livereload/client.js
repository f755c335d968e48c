/* flaskit live reload: the page follows every save (flaskit run --debug).
 *
 * This file runs in each page (from the <script> flaskit adds before </body>)
 * and, where it can, as a SharedWorker that keeps ONE event stream for every
 * tab of the origin, so open tabs never use up the browser's six connections
 * per host. Where no SharedWorker can start (no support, or a
 * Content-Security-Policy that allows no worker script), one tab holds the
 * stream for the others (Web Locks + BroadcastChannel); failing that, each
 * visible tab polls once a second. Every stream reconnects with backoff.
 *
 * Messages (JSON, from /__flaskit/events):
 *   {type: "hello", generation, seq, reconnect}     first, on every connection
 *   {type: "change", generation, seq, kind, paths}  kind: template | css | static
 * A page knows the generation and seq it was rendered at: another generation,
 * or a change it did not see, means it is stale and it reloads. A stylesheet
 * change swaps the matching <link> instead; the new sheet loads before the old
 * one goes. Each message is also dispatched on window as "flaskit:live-reload".
 */
(function () {
  "use strict";

  var NAME = "flaskit-livereload";

  /* One stream. When a stream that lived ends (a reload drained its worker; the
   * next one is already serving) or a poll is answered, it asks again after the
   * server's `reconnect` ms; a failed connection, or a stream cut short, backs
   * off from 100 ms to 5 s. */
  function connect(url, deliver, allowed) {
    var source = null;
    var timer = null;
    var failures = 0;

    function open() {
      timer = null;
      if (source || !allowed()) return;
      var hello = null;
      var greetedAt = 0;
      source = new EventSource(url);
      source.onmessage = function (event) {
        var data = JSON.parse(event.data);
        if (data.type === "hello") {
          hello = data;
          greetedAt = Date.now();
        }
        deliver(data);
      };
      source.onerror = function () {
        source.close();
        source = null;
        var expected = hello && (hello.poll || Date.now() - greetedAt >= 250);
        failures = expected ? 0 : failures + 1;
        if (!timer) {
          timer = setTimeout(open, expected ? hello.reconnect : Math.min(100 * Math.pow(2, failures - 1), 5000));
        }
      };
    }

    function close() {
      clearTimeout(timer);
      timer = null;
      if (source) source.close();
      source = null;
    }

    open();
    return { open: open, close: close };
  }

  /* The newest state a relay has seen, as a hello for listeners that join later. */
  function tracker() {
    var latest = null;
    return {
      see: function (data) {
        if (data.type === "hello") latest = data;
        else if (latest && data.generation === latest.generation && data.seq > latest.seq) {
          latest = { type: "hello", generation: data.generation, seq: data.seq, reconnect: latest.reconnect };
        }
      },
      latest: function () { return latest; }
    };
  }

  /* In the SharedWorker: one stream, every tab's port hears every message. */
  function runWorker(scope) {
    var ports = [];
    var state = tracker();
    var stream = null;

    function broadcast(data) {
      state.see(data);
      ports.forEach(function (port) { port.postMessage(data); });
    }

    scope.onconnect = function (event) {
      var port = event.ports[0];
      ports.push(port);
      port.onmessage = function (message) {
        if (message.data.type === "listen" && !stream) {
          stream = connect(message.data.url, broadcast, function () { return true; });
        } else if (message.data.type === "bye") {
          ports = ports.filter(function (other) { return other !== port; });
        }
      };
      if (state.latest()) port.postMessage(state.latest());
    };
  }

  /* Without a SharedWorker: the tab holding the lock streams for the others. */
  function viaLeader(url, handle) {
    if (!(navigator.locks && typeof BroadcastChannel === "function")) return false;
    var channel = new BroadcastChannel(NAME);
    var state = tracker();
    var leading = false;
    channel.onmessage = function (message) {
      if (message.data.type === "ask") {
        if (leading && state.latest()) channel.postMessage(state.latest());
      } else {
        handle(message.data);
      }
    };
    navigator.locks.request(NAME, function () {
      leading = true;
      connect(url, function (data) {
        state.see(data);
        channel.postMessage(data);
        handle(data);
      }, function () { return true; });
      return new Promise(function () {}); // held until this page goes away
    });
    channel.postMessage({ type: "ask" });
    return true;
  }

  /* The last resort: each visible tab asks once a second (a stream per tab would
   * use up the browser's connections); the hello says whether the page is stale. */
  function perTab(url, handle) {
    var stream = connect(url + "?poll=1", handle, function () { return !document.hidden; });
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) stream.close();
      else stream.open();
    });
  }

  /* In a page. */
  function runPage(script) {
    var generation = script.getAttribute("data-generation");
    var seq = Number(script.getAttribute("data-seq"));
    var url = new URL("events", script.src).href;
    var reloading = false;

    function reload() {
      reloading = true;
      location.reload();
    }

    function handle(data) {
      if (reloading) return;
      dispatchEvent(new CustomEvent("flaskit:live-reload", { detail: data }));
      if (data.generation !== generation) return reload();
      if (data.type === "hello") {
        if (data.seq > seq) reload(); // something changed since this page was rendered
        return;
      }
      if (data.type !== "change" || data.seq <= seq) return;
      if (data.seq !== seq + 1) return reload(); // missed a change
      seq = data.seq;
      if (data.kind === "css") swapStylesheets(data.paths);
      else reload();
    }

    // Which way this page listens: "worker", "leader" or "tab" (for people and tests).
    function via(how) { script.setAttribute("data-via", how); }

    function withoutWorker() {
      if (viaLeader(url, handle)) via("leader");
      else {
        via("tab");
        perTab(url, handle);
      }
    }

    var worker = null;
    try {
      worker = typeof SharedWorker === "function" ? new SharedWorker(script.src, { name: NAME }) : null;
    } catch (error) {
      worker = null;
    }
    if (!worker) return withoutWorker();
    via("worker");
    var fellBack = false;
    worker.onerror = function () {
      if (fellBack) return;
      fellBack = true;
      withoutWorker();
    };
    worker.port.onmessage = function (message) { handle(message.data); };
    worker.port.postMessage({ type: "listen", url: url });
    addEventListener("pagehide", function () { worker.port.postMessage({ type: "bye" }); });
  }

  /* The <link>s whose path ends like a changed file's (most trailing path
   * segments in common); every same-origin sheet when none does (@import). */
  function swapStylesheets(paths) {
    var links = Array.prototype.filter.call(
      document.querySelectorAll('link[rel~="stylesheet"][href]'),
      function (link) { return !link.flaskitReplaced && new URL(link.href).origin === location.origin; }
    );
    var best = 0;
    var chosen = [];
    links.forEach(function (link) {
      var score = Math.max.apply(null, paths.map(function (path) { return common(link.href, path); }).concat(0));
      if (score > best) {
        best = score;
        chosen = [link];
      } else if (score === best && score > 0) {
        chosen.push(link);
      }
    });
    (best ? chosen : links).forEach(swap);
  }

  function common(href, path) {
    var a = decodeURIComponent(new URL(href).pathname).split("/");
    var b = path.split("/");
    var n = 0;
    while (n < a.length && n < b.length && a[a.length - 1 - n] && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
    return n;
  }

  function swap(link) {
    var url = new URL(link.href);
    url.searchParams.set("flaskit-reload", Date.now().toString(36));
    var fresh = link.cloneNode(false);
    fresh.href = url.href;
    link.flaskitReplaced = true;
    fresh.addEventListener("load", function () { link.remove(); });
    fresh.addEventListener("error", function () {
      fresh.remove();
      link.flaskitReplaced = false;
    });
    link.parentNode.insertBefore(fresh, link.nextSibling);
  }

  if (typeof document === "undefined") runWorker(self);
  else if (document.currentScript) runPage(document.currentScript);
})();
