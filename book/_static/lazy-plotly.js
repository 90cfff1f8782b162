/* Load plotly.js only when an interactive figure comes near the screen.
 *
 * book/_ext/course_html.py inlines this script in the <head> of every page with a slider figure,
 * with __PLOTLY_JS__ replaced by the bundle's file name. Until the library is loaded, window.Plotly
 * is a stand-in: a figure's own script calls Plotly.newPlot(id, figure) as usual; the stand-in
 * remembers the call, watches that figure's <div>, fetches the library once the first watched
 * <div> is within 1000 px of the viewport, then makes the remembered calls, in order, on the real
 * Plotly (which replaces the stand-in). Every call returns a promise of the real call's result.
 *
 * A figure passed as {nonlinSource: url} has its data in a separate JSON file (course_html.py
 * moves it out of the page): it is fetched together with the library, and the call gets the
 * figure read from it, with the stand-in's other keys (such as config) on top.
 */
(function () {
  "use strict";
  if (window.Plotly) return;
  var root = document.documentElement.getAttribute("data-content_root") || "";
  var source = root + "_static/__PLOTLY_JS__";
  var pending = [];
  var state = "waiting";  // waiting -> loading -> loaded (or failed)
  var observer = null;

  var sources = {};

  function resolve(figure) {  // the figure itself, read from its file if it was moved out of the page
    if (!figure || typeof figure !== "object" || !figure.nonlinSource) return Promise.resolve(figure);
    var url = figure.nonlinSource;
    if (!sources[url]) {
      sources[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("could not load " + url + " (" + response.status + ")");
        return response.json();
      });
    }
    return sources[url].then(function (data) {
      var full = Object.assign({}, data);
      Object.keys(figure).forEach(function (key) { if (key !== "nonlinSource") full[key] = figure[key]; });
      return full;
    });
  }

  function resolveArgs(args) {
    return Promise.all(args.map(resolve));
  }

  var queue = Promise.resolve();  // remembered calls are made one after the other, in order

  // perf.css lets the browser skip laying out a section until it nears the screen; plotly
  // measures its <div> when it draws, so the sections around a figure are laid out first.
  function laidOut(target) {
    var element = typeof target === "string" ? document.getElementById(target) : target;
    for (var a = element && element.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).contentVisibility === "auto") a.style.contentVisibility = "visible";
    }
  }

  function replay(call) {
    queue = queue.then(function () {
      return resolveArgs(call.args).then(function (args) {
        if (call.method === "newPlot" || call.method === "react") laidOut(args[0]);
        return window.Plotly[call.method].apply(window.Plotly, args);
      }).then(call.resolve, call.reject);
    });
  }

  function resolveLater(plotly) {  // calls made once the library is in place get files read too
    ["newPlot", "react"].forEach(function (method) {
      var real = plotly[method];
      plotly[method] = function () {
        return resolveArgs(Array.prototype.slice.call(arguments)).then(function (args) {
          laidOut(args[0]);
          return real.apply(plotly, args);
        });
      };
    });
  }

  function load() {
    if (state !== "waiting") return;
    state = "loading";
    if (observer) observer.disconnect();
    var script = document.createElement("script");
    script.src = source;
    script.async = true;
    pending.forEach(function (call) { resolveArgs(call.args).catch(function () {}); });  // fetch now
    script.onload = function () {
      state = "loaded";
      resolveLater(window.Plotly);
      var calls = pending;
      pending = [];
      calls.forEach(replay);
    };
    script.onerror = function () {
      state = "failed";
      var error = new Error("could not load " + source);
      pending.forEach(function (call) { call.reject(error); });
      pending = [];
      console.error(error.message);
    };
    document.head.appendChild(script);
  }

  function watch(target) {
    var element = typeof target === "string" ? document.getElementById(target) : target;
    if (!("IntersectionObserver" in window) || !element || !element.nodeType) {
      load();
      return;
    }
    if (!observer) {
      observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) load();
      }, { rootMargin: "1000px 0px" });
    }
    observer.observe(element);
  }

  window.Plotly = new Proxy({}, {
    get: function (_, method) {
      if (method === "then") return undefined;  // the stand-in is not itself a promise
      return function () {
        var args = Array.prototype.slice.call(arguments);
        if (state === "loaded") return window.Plotly[method].apply(window.Plotly, args);
        return new Promise(function (resolve, reject) {
          pending.push({ method: method, args: args, resolve: resolve, reject: reject });
          if (method === "newPlot" || method === "react") watch(args[0]);
        });
      };
    },
  });
})();
