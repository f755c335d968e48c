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
 * one goes. A template change fetches the page again and morphs the open one
 * into it, keeping its state (see Page); it reloads when it cannot. Each message
 * is also dispatched on window as "flaskit:live-reload"; each morph as
 * "flaskit:morphed".
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
    // The page's own fetch, taken before the error overlay (served next) wraps it:
    // a template error is shown by reloading into the error page, not as an overlay.
    var pageFetch = typeof window.fetch === "function" ? window.fetch.bind(window) : null;

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
      else if (data.kind === "template" && inPlace) refresh(data);
      else reload();
    }

    /* A template edit: fetch this page again and morph it in. One refresh at a
     * time; an edit during one asks for another when it ends. */
    var inPlace = (script.getAttribute("data-method") || "GET") === "GET" && !!pageFetch &&
      typeof DOMParser === "function" && typeof WeakSet === "function";
    var page = inPlace ? new Page(script, pageFetch) : null;
    var refreshing = false;
    var again = null;
    function refresh(data) {
      if (refreshing) {
        again = data;
        return;
      }
      refreshing = true;
      var target = seq;
      page.refresh().then(function () {
        refreshing = false;
        if (reloading) return;
        script.setAttribute("data-seq", String(target));
        dispatchEvent(new CustomEvent("flaskit:morphed", { detail: data }));
        if (again) {
          var next = again;
          again = null;
          refresh(next);
        }
      }, function (why) {
        refreshing = false;
        if (typeof console !== "undefined") console.info("flaskit: reloading the page (" + why + ")");
        reload();
      });
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

  /* ------------------------------------------------------------------------
   * In-place refresh. The page is fetched again (a fetch() gets no live-reload
   * script: the middleware adds it only to documents a browser loads) and the
   * live DOM is changed to match it, node by node, so everything the new HTML
   * does not change stays as it is: the focused element and its selection,
   * typed values (the browser keeps a value the user changed when only the
   * value attribute changes), scroll position, event listeners and every
   * JavaScript variable. The promise is rejected, with the reason, when a full
   * reload is needed instead: the response is not a 2xx HTML page of this URL,
   * a <script> was added, removed or changed (running it again is not the same
   * as loading the page; not running it would show stale code), or the morph
   * failed or did not produce the new page.
   *
   * Left alone: this script, elements marked data-flaskit-keep, and what the
   * page's own JavaScript added to <head> or <body> (a toast container, a
   * modal's backdrop, an injected <style>): only what the server sent is
   * morphed. Scripts a script inserted are not counted as the page's scripts.
   * ---------------------------------------------------------------------- */
  function Page(own, pageFetch) {
    this.own = own;
    this.fetch = pageFetch;
    this.nonce = own.nonce || own.getAttribute("nonce") || "";
    this.served = null;
    this.remember(null);
    // <html> and <body> attributes as the server sent them (see merge()).
    this.sent = { html: attributeMap(document.documentElement), body: attributeMap(document.body) };
  }

  /* The children of <head> and <body> the server sent: at first every one (the
   * script runs deferred: the whole page is parsed by then), after a morph every
   * one but those the page's JavaScript had added (`except`). */
  Page.prototype.remember = function (except) {
    var served = (this.served = new WeakSet());
    [document.head, document.body].forEach(function (parent) {
      Array.prototype.forEach.call(parent.childNodes, function (node) {
        if (!except || except.indexOf(node) < 0) served.add(node);
      });
    });
  };

  Page.prototype.refresh = function () {
    var self = this;
    return this.fetch(location.href, {
      headers: { Accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8" },
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (response) {
      var type = (response.headers.get("Content-Type") || "").split(";")[0].trim().toLowerCase();
      if (!response.ok || response.redirected || type !== "text/html") {
        throw "the page answered " + response.status + " " + (type || "without a type");
      }
      return response.text();
    }).then(function (html) {
      self.remember(self.morph(new DOMParser().parseFromString(html, "text/html")));
    }).catch(function (error) {
      throw typeof error === "string" ? error : "the morph failed: " + error;
    });
  };

  Page.prototype.morph = function (fresh) {
    var own = this.own;
    var served = this.served;
    function keep(node) {
      if (node === own || (node.nodeType === 1 && node.hasAttribute("data-flaskit-keep"))) return true;
      var parent = node.parentNode;
      // A stylesheet swap's copy stands for the server's <link>.
      return (parent === document.head || parent === document.body) && !served.has(node) && !node.flaskitSwapped;
    }
    // A browser that sends no Sec-Fetch-Dest (plain http to another host) gets the
    // page with this script in it again: it is the one already running.
    Array.prototype.forEach.call(fresh.querySelectorAll("script[data-generation][src]"), function (element) {
      if (new URL(element.getAttribute("src"), location.href).pathname === new URL(own.src).pathname) element.remove();
    });
    if (scripts(document, keep) !== scripts(fresh, keep)) throw "a <script> changed";
    var added = [document.head, document.body].reduce(function (found, parent) {
      return found.concat(Array.prototype.filter.call(parent.childNodes, function (node) {
        return node !== own && !served.has(node) && !node.flaskitSwapped;
      }));
    }, []);
    var morpher = new Morpher(document, fresh, keep, this.nonce);
    merge(document.documentElement, this.sent.html, fresh.documentElement);
    morpher.head(document.head, fresh.head);
    merge(document.body, this.sent.body, fresh.body);
    morpher.children(document.body, fresh.body);
    if (!same(document.body, fresh.body, keep, true)) throw "the morphed page differs from the new one";
    this.sent = { html: attributeMap(fresh.documentElement), body: attributeMap(fresh.body) };
    return added;
  };

  /* <html> and <body> carry the page's own state (a dark-mode class, "modal-open"):
   * an attribute, or a class, that the page's JavaScript changed since the server
   * sent it stays as the script left it; the rest follows the new HTML. */
  function merge(element, sent, model) {
    var live = attributeMap(element);
    var next = attributeMap(model);
    Object.keys(Object.assign({}, live, sent, next)).forEach(function (name) {
      if (ignored(element, name)) return;
      var value = next[name];
      if (live[name] !== sent[name]) {
        value = name === "class" ? mergeTokens(live[name], sent[name], next[name]) : live[name];
      }
      if (value === undefined) element.removeAttribute(name);
      else if (element.getAttribute(name) !== value) element.setAttribute(name, value);
    });
  }

  function attributeMap(element) {
    var map = {};
    Array.prototype.forEach.call(element.attributes, function (attribute) {
      map[attribute.name] = attribute.value;
    });
    return map;
  }

  /* The new classes, with those a script added since and without those it removed. */
  function mergeTokens(live, sent, next) {
    function tokens(value) { return (value || "").split(/\s+/).filter(Boolean); }
    var had = tokens(sent);
    var has = tokens(live);
    var added = has.filter(function (token) { return had.indexOf(token) < 0; });
    var removed = had.filter(function (token) { return has.indexOf(token) < 0; });
    var result = tokens(next).filter(function (token) { return removed.indexOf(token) < 0; });
    added.forEach(function (token) { if (result.indexOf(token) < 0) result.push(token); });
    return result.length || next !== undefined ? result.join(" ") : undefined;
  }

  /* The attributes a morph neither copies nor compares: nonces (the browser hides
   * them from the DOM; the page's policy only accepts the old page's) and the
   * user's open or closed <details> and <dialog>. */
  function ignored(element, name) {
    return name === "nonce" || (name === "open" && /^(DETAILS|DIALOG)$/.test(element.tagName));
  }

  /* Every <script> the server sent that runs, as text: where it loads from, its type
   * and its code. A script another script inserted is "async" without the attribute;
   * a data block (application/json, ...) does not run and is morphed like the rest. */
  function scripts(doc, keep) {
    return Array.prototype.filter.call(doc.querySelectorAll("script"), function (element) {
      return runs(element) && !keep(element) && !(element.async && !element.hasAttribute("async"));
    }).map(scriptKey).join("\n");
  }

  var SCRIPT_TYPES = /^((text|application)\/(x-)?(java|ecma)script|text\/javascript1\.[0-5]|text\/(jscript|livescript)|module|importmap|speculationrules)$/;

  function runs(element) {
    var type = (element.getAttribute("type") || "").trim().toLowerCase().split(";")[0].trim();
    return !type || SCRIPT_TYPES.test(type);
  }

  function scriptKey(element) {
    return attributeKey(element, null) + ">" + element.textContent;
  }

  /* An element's attributes as text, in a fixed order, nonce left out. */
  function attributeKey(element, rewrite) {
    return Array.prototype.filter.call(element.attributes, function (attribute) {
      return attribute.name !== "nonce";
    }).map(function (attribute) {
      return attribute.name + "=" + (rewrite ? rewrite(attribute) : attribute.value);
    }).sort().join(" ");
  }

  function Morpher(live, fresh, keep, nonce) {
    this.keep = keep;
    this.nonce = nonce;
    this.live = live;
    this.used = new Set();
    this.unchanged = false;
    // Elements with an id are matched by it wherever they are (a moved block keeps its
    // state); elements whose id the new page has are never matched by position.
    this.byId = new Map();
    this.wanted = new Set();
    var self = this;
    Array.prototype.forEach.call(live.body.querySelectorAll("[id]"), function (element) {
      if (!self.byId.has(element.id)) self.byId.set(element.id, element);
    });
    Array.prototype.forEach.call(fresh.body.querySelectorAll("[id]"), function (element) {
      self.wanted.add(element.id);
    });
  }

  Morpher.prototype.attributes = function (element, model) {
    var i;
    for (i = element.attributes.length - 1; i >= 0; i--) {
      var old = element.attributes[i];
      if (!ignored(element, old.name) && !model.hasAttributeNS(old.namespaceURI, old.localName)) {
        element.removeAttributeNS(old.namespaceURI, old.localName);
      }
    }
    for (i = 0; i < model.attributes.length; i++) {
      var attribute = model.attributes[i];
      if (ignored(element, attribute.name)) continue;
      if (element.getAttributeNS(attribute.namespaceURI, attribute.localName) !== attribute.value) {
        element.setAttributeNS(attribute.namespaceURI, attribute.name, attribute.value);
      }
    }
  };

  /* <head>: elements are matched by what they are (a stylesheet by its URL, without
   * the query a stylesheet swap added), kept where they are, and the rest added or
   * removed; a stylesheet is never reloaded by a template edit. */
  Morpher.prototype.head = function (head, model) {
    var self = this;
    var unused = new Map();
    Array.prototype.forEach.call(head.children, function (element) {
      if (self.keep(element)) return;
      var key = headKey(element);
      if (!unused.has(key)) unused.set(key, []);
      unused.get(key).push(element);
    });
    unused.forEach(function (list) { // of a sheet being swapped, the new copy is the one to keep
      list.sort(function (a, b) { return (a.flaskitReplaced ? 1 : 0) - (b.flaskitReplaced ? 1 : 0); });
    });
    var previous = null;
    Array.prototype.forEach.call(model.children, function (wanted) {
      var list = unused.get(headKey(wanted));
      var element = list && list.length ? list.shift() : null;
      if (!element) {
        element = self.create(wanted);
        head.insertBefore(element, previous ? previous.nextSibling : head.firstChild);
      }
      previous = element;
    });
    unused.forEach(function (list) {
      list.forEach(function (element) {
        if (!element.flaskitReplaced) element.remove(); // a replaced sheet goes once its successor loads
      });
    });
  };

  function headKey(element) {
    var key = attributeKey(element, function (attribute) {
      return element.tagName === "LINK" && attribute.name === "href"
        ? withoutReloadQuery(attribute.value)
        : attribute.value;
    });
    return element.tagName + " " + key + ">" + element.textContent;
  }

  function withoutReloadQuery(href) {
    try {
      var url = new URL(href, location.href);
      if (!url.searchParams.has("flaskit-reload")) return url.href;
      url.searchParams.delete("flaskit-reload");
      return url.href.replace(/\?$/, "");
    } catch (error) {
      return href;
    }
  }

  /* One node changed to match another of the same kind. */
  Morpher.prototype.node = function (node, model) {
    if (node.nodeType !== 1) {
      if (node.nodeValue !== model.nodeValue) node.nodeValue = model.nodeValue;
      return;
    }
    this.attributes(node, model);
    if (node.tagName === "TEMPLATE") {
      if (!same(node.content, model.content, this.keep)) {
        node.content.replaceChildren(this.live.importNode(model.content, true));
      }
    } else {
      this.children(node, model);
    }
  };

  /* The children of `parent` changed to match those of `model`, in order. */
  Morpher.prototype.children = function (parent, model) {
    var wanted = model.childNodes;
    var cursor = this.skipKept(parent.firstChild);
    for (var index = 0; index < wanted.length; index++) {
      var item = wanted[index];
      this.unchanged = false; // set by match() when the node is already like the new one
      var match = this.match(parent, cursor, item);
      if (!match) {
        parent.insertBefore(this.create(item), cursor);
        continue;
      }
      if (match === cursor) {
        cursor = this.skipKept(cursor.nextSibling);
      } else if (match.parentNode === parent && holdsFocus(match) && typeof parent.moveBefore !== "function") {
        // Moving the focused element would blur it: drop what lies before it instead.
        while (cursor && cursor !== match) {
          var next = cursor.nextSibling;
          if (!this.keep(cursor)) cursor.remove();
          cursor = next;
        }
        cursor = this.skipKept(match.nextSibling);
      } else {
        move(parent, match, cursor);
      }
      if (!this.unchanged) this.node(match, item);
    }
    while (cursor) {
      var after = cursor.nextSibling;
      if (!this.keep(cursor)) cursor.remove();
      cursor = after;
    }
  };

  Morpher.prototype.nextElement = function (node) {
    do node = node.nextSibling; while (node && (node.nodeType !== 1 || this.keep(node)));
    return node;
  };

  Morpher.prototype.skipKept = function (node) {
    while (node && this.keep(node)) node = node.nextSibling;
    return node;
  };

  /* The live node that becomes `item`: the element with its id, else the node at the
   * cursor or one of the next few if it is of the same kind; null for a new node. */
  Morpher.prototype.match = function (parent, cursor, item) {
    if (item.nodeType === 1 && item.id) {
      var found = this.byId.get(item.id);
      if (found && !this.used.has(found) && found.tagName === item.tagName && !found.contains(parent)) {
        this.used.add(found);
        return found;
      }
      return null;
    }
    if (item.nodeType === 1 && cursor && this.compatible(cursor, item)) {
      if (same(cursor, item, this.keep)) {
        this.used.add(cursor);
        this.unchanged = true;
        return cursor;
      }
      // Inserted: the live element is the next new one. Removed: the next live one is this one.
      var following = item.nextElementSibling;
      if (following && same(cursor, following, this.keep)) return null;
      var next = this.nextElement(cursor);
      if (next && this.compatible(next, item) && same(next, item, this.keep)) {
        this.used.add(next);
        this.unchanged = true;
        return next;
      }
    }
    var node = cursor;
    for (var tries = 0; node && tries < (item.nodeType === 1 ? 4 : 1); tries++) {
      if (!this.keep(node) && this.compatible(node, item)) {
        this.used.add(node);
        return node;
      }
      node = node.nextSibling;
    }
    return null;
  };

  Morpher.prototype.compatible = function (node, item) {
    if (node.nodeType !== item.nodeType || node.nodeName !== item.nodeName || this.used.has(node)) return false;
    if (node.nodeType !== 1) return true;
    return node.namespaceURI === item.namespaceURI && !(node.id && this.wanted.has(node.id));
  };

  /* A live copy of a new node. A nonce becomes the page's own, the one its policy
   * accepts. A <script> in it would run again: the page reloads instead. */
  Morpher.prototype.create = function (item) {
    var copy = this.live.importNode(item, true);
    if (copy.nodeType !== 1) return copy;
    var inside = Array.prototype.slice.call(copy.querySelectorAll("[nonce], script"));
    inside.concat([copy]).forEach(function (element) {
      if (element.tagName === "SCRIPT" && runs(element)) throw "a <script> would run again";
      if (this.nonce && element.hasAttribute("nonce")) element.setAttribute("nonce", this.nonce);
    }, this);
    return copy;
  };

  function holdsFocus(node) {
    var active = document.activeElement;
    return !!active && active !== document.body && node.contains(active);
  }

  /* Move without losing state where the browser can (Element.moveBefore keeps focus,
   * iframes, animations); insertBefore elsewhere. */
  function move(parent, node, before) {
    if (typeof parent.moveBefore === "function" && node.isConnected && parent.isConnected) {
      try {
        parent.moveBefore(node, before);
        return;
      } catch (error) {
        // moveBefore refuses some moves (between documents, ...); insertBefore does them
      }
    }
    parent.insertBefore(node, before);
  }

  /* Whether two nodes are the same, apart from ignored attributes and kept nodes. */
  function same(a, b, keep, childrenOnly) {
    if (a.nodeType !== b.nodeType || a.nodeName !== b.nodeName) return false;
    if (a.nodeType === 3 || a.nodeType === 8) return a.nodeValue === b.nodeValue;
    if (a.nodeType === 1 && !childrenOnly) {
      var mine = Array.prototype.filter.call(a.attributes, function (x) { return !ignored(a, x.name); });
      var theirs = Array.prototype.filter.call(b.attributes, function (x) { return !ignored(b, x.name); });
      if (mine.length !== theirs.length) return false;
      for (var i = 0; i < mine.length; i++) {
        if (b.getAttributeNS(mine[i].namespaceURI, mine[i].localName) !== mine[i].value) return false;
      }
      if (a.tagName === "TEMPLATE") return same(a.content, b.content, keep);
    }
    var left = Array.prototype.filter.call(a.childNodes, function (node) { return !keep(node); });
    var right = b.childNodes;
    if (left.length !== right.length) return false;
    for (var j = 0; j < left.length; j++) {
      if (!same(left[j], right[j], keep)) return false;
    }
    return true;
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
    fresh.flaskitSwapped = true;
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
